#!/usr/bin/env bash
# Makes the class-data archive (static AppCDS) that bin/abstractions starts the CLI with:
#   class-data-archive.sh JAVA JAR ARCHIVE
# It lists the classes a warm-up run of the CLI loads (dev.abstractions.cli.Warmup, calling a
# stand-in server that runs in a JVM of its own), then dumps them, parsed and verified, into
# ARCHIVE for that JVM and that jar at that path.
set -euo pipefail
java=$1 jar=$2 archive=$3
work=$(mktemp -d)
server=""
trap '[[ -z $server ]] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$java" -cp "$jar" dev.abstractions.cli.Warmup serve >"$work/server.out" &
server=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$work/server.out")
  [[ -n $port ]] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
[[ -n $port ]] || { echo "class-data-archive.sh: the warm-up server did not start" >&2; exit 1; }

"$java" -XX:DumpLoadedClassList="$work/classes" -cp "$jar" dev.abstractions.cli.Warmup "127.0.0.1:$port"
# JDK 17 crashes (SIGSEGV in load_shared_lambda_proxy_class) when it looks up an archived lambda
# whose class could not be archived itself. picocli's classes cannot (their class files predate
# Java 6), nor ours that implement its interfaces: their lambdas stay out of the archive too.
grep -v -e '^@lambda-proxy dev/abstractions/cli/' -e '^@lambda-proxy picocli/' "$work/classes" > "$work/classes.kept"
"$java" -Xshare:dump -XX:SharedClassListFile="$work/classes.kept" -XX:SharedArchiveFile="$archive" \
  -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$jar" > /dev/null
