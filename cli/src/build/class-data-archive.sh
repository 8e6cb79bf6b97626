#!/usr/bin/env bash
# Makes the class-data archive (static AppCDS) that bin/abstractions starts the CLI with:
#   class-data-archive.sh JAVA JAR ARCHIVE
# It lists the classes a warm-up run of the CLI loads (dev.abstractions.cli.Warmup), then dumps
# them, parsed and verified, into ARCHIVE for that JVM and that jar at that path.
set -euo pipefail
java=$1 jar=$2 archive=$3
list=$(mktemp)
trap 'rm -f "$list" "$list.kept"' EXIT
# The same Netty settings as bin/abstractions, so that the same classes load.
"$java" -XX:DumpLoadedClassList="$list" -Dio.grpc.netty.shaded.io.netty.transport.noNative=true \
  -Dio.grpc.netty.shaded.io.netty.jfr.enabled=false -cp "$jar" dev.abstractions.cli.Warmup
# JDK 17 crashes (SIGSEGV in load_shared_lambda_proxy_class) when it looks up an archived lambda
# whose class could not be archived itself. picocli's classes cannot (their class files predate
# Java 6), nor ours that implement its interfaces: their lambdas stay out of the archive too.
grep -v -e '^@lambda-proxy dev/abstractions/cli/' -e '^@lambda-proxy picocli/' "$list" > "$list.kept"
"$java" -Xshare:dump -XX:SharedClassListFile="$list.kept" -XX:SharedArchiveFile="$archive" \
  -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$jar" > /dev/null
