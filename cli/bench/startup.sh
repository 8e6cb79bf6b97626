#!/usr/bin/env bash
# Measures how long a CLI command takes from start to exit (wall time), the way a user or a
# script sees it:
#
#   cli/bench/startup.sh [-n RUNS (default 20)] [CLI... (default cli/bin/abstractions)]
#
# e.g. cli/bench/startup.sh -n 10 java -jar cli/target/abstractions-cli.jar (it runs from the
# repository's root, so relative paths are taken from there).
#
# Starts an in-memory server of its own on free ports, then runs RUNS rounds of: `java
# -Xshare:auto -version` (the bare JVM, the baseline), `CLI --help`, `CLI --version`, and every
# command that calls a server, on an entity the round creates: create, update, get (text and
# --json), list, history, tree get, tree history, tree write, execute, ops list, watch (one event)
# and delete, one after the other in each round, so that load from other processes falls on all of
# them alike. Prints the load average before and after and, per command, the median, p90 (nearest
# rank) and minimum, and the median as a multiple of the baseline's, which varies less with the
# machine's load than the times do. Every command must exit 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=20
if [[ ${1:-} == -n ]]; then
  runs=$2
  shift 2
fi
(( $# > 0 )) || set -- cli/bin/abstractions
server_jar=server/target/abstractions-server.jar
[[ -f $server_jar && -f cli/target/abstractions-cli.jar ]] \
  || { echo "startup.sh: build first: mvn -B -q package -DskipTests" >&2; exit 2; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

work=$(mktemp -d /tmp/abstractions-cli-startup.XXXXXX)
server=""
stop_server() {
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

# Free ports: the gRPC port read from the server's "serving" line; metrics on a port of its own
# choosing, since a server the user runs may hold the default 9464.
"$java" -jar "$server_jar" --store memory --host 127.0.0.1 --port 0 --metrics-port 0 >"$work/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's/.* serving port="\([0-9]*\)".*/\1/p' "$work/server.log" | head -1)
  [[ -n $port ]] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
[[ -n $port ]] || { echo "startup.sh: the server did not start; its log:" >&2; cat "$work/server.log" >&2; exit 1; }
export ABSTRACTIONS_TARGET=127.0.0.1:$port
unset ABSTRACTIONS_TOKEN

names=("java -Xshare:auto -version" "--help" "--version" "create" "update" "get ID" "get ID --json"
  "list" "history" "tree get" "tree history" "tree write" "execute" "ops list" "watch" "delete")
cli=("$@")
id=""
measure() { # index into names; prints that command's wall time in ms
  local start end
  start=$EPOCHREALTIME
  case $1 in
    0) "$java" -Xshare:auto -version 2>/dev/null ;;
    1) "${cli[@]}" --help ;;
    2) "${cli[@]}" --version ;;
    3) id=$("${cli[@]}" create Startup --data '{"name":"Ada","credits":3}' --json \
         | sed -n 's/.*"lineageId":"\([^"]*\)".*/\1/p') ;;
    4) "${cli[@]}" update "$id" --expect-version 1 --data '{"name":"Ada","credits":4}' ;;
    5) "${cli[@]}" get "$id" ;;
    6) "${cli[@]}" get "$id" --json ;;
    7) "${cli[@]}" list Startup --page-size 10 ;;
    8) "${cli[@]}" history "$id" ;;
    9) "${cli[@]}" tree get "$id" ;;
    10) "${cli[@]}" tree history "$id" ;;
    11) "${cli[@]}" tree write "$id" --tree-version 2 \
          --data '{"changes":[{"update":{"lineageId":"'"$id"'","data":{"name":"Ada","credits":5}}}]}' ;;
    12) "${cli[@]}" execute "$id" increment --args '{"path":"credits","by":1}' ;;
    13) "${cli[@]}" ops list "$id" ;;
    14) "${cli[@]}" watch --from-oldest --max-events 1 ;;
    15) "${cli[@]}" delete "$id" --expect-version 4 ;;
  esac >/dev/null || { echo "startup.sh: '${names[$1]}' failed" >&2; exit 1; }
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f\n", (e - s) * 1000 }'
}

echo "load before: $(uptime)"
for (( round = 0; round < runs; round++ )); do
  for i in "${!names[@]}"; do
    measure "$i" >>"$work/times.$i"
    # create (3) set the id the commands after it use.
    (( i != 3 )) || [[ -n $id ]] || { echo "startup.sh: could not create an entity with ${cli[*]}" >&2; exit 1; }
  done
done
echo "load after:  $(uptime)"
echo "CLI: $* ($runs runs each, wall ms)"
printf '%-28s %8s %8s %8s %10s\n' command median p90 min x-baseline
baseline=""
for i in "${!names[@]}"; do
  read -r median p90 min < <(sort -n "$work/times.$i" | awk '{ t[NR] = $1 } END {
    m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
    p = int(0.9 * NR); if (p < 0.9 * NR) p++
    print m, t[p], t[1] }')
  [[ -n $baseline ]] || baseline=$median
  printf '%-28s %8.0f %8.0f %8.0f %10s\n' "${names[$i]}" "$median" "$p90" "$min" \
    "$(awk -v m="$median" -v b="$baseline" 'BEGIN { printf "%.1f", m / b }')"
done
