#!/usr/bin/env bash
# Runs the load matrix (bench/RESULTS.md explains it) and prints the markdown report.
#
#   bench/run-matrix.sh [--install] [--quick] [--profile] [any Matrix option, e.g. --only a,c]
#   bench/run-matrix.sh --only durable [--disk DIR]   # issue #13: durable vs in-memory vs etcd on disk
#   bench/run-matrix.sh --only replicated [--disk DIR] # issue #13: 3 members vs a 3-member etcd, on disk
#   bench/run-matrix.sh --only t [--jfr FILE]         # entity trees: (t1) WriteTree of 10 members vs Update
#                                                     # (server CPU per call), (t2) a hot tree vs (c), (t3) (d) on a tree
#
#   --install   apt-get install -y etcd-server first (for f, durable, replicated); nothing is installed otherwise
#   --quick     the ~2-minute smoke version (cold-JIT numbers, for checking the harness)
#   --profile   afterwards, one more run of group a with JFR on the server, summarized by JfrTop
#
# Builds the server and bench jars with the reactor if they are missing or older than the sources
# (never mvn install). Starts and stops everything it measures itself: the bare gRPC baseline, the
# entity server (one process per scenario group; group t is on the in-memory one too), etcd on
# loopback with a temporary data dir on /dev/shm; for the durable group a durable entity server
# and a second etcd, both with their data on disk (under --disk DIR, default the work dir; removed
# afterwards); for the replicated group three durable entity servers forming one Raft group
# (-Xms512m -Xmx512m each) and a 3-member etcd cluster, on free loopback ports (formed again on
# fresh ones if a port got taken), data likewise.
# Logs, the JMH output and the --profile JFR recording go to a work dir it prints. --jfr FILE (a
# Matrix option) records the entity server's whole life, pre-warm included, to FILE; summarize it
# with java -cp bench/target/benchmarks.jar dev.abstractions.bench.load.JfrTop FILE.
set -euo pipefail
cd "$(dirname "$0")/.."

install=false
profile=false
matrix_args=()
for arg in "$@"; do
  case "$arg" in
    --install) install=true ;;
    --profile) profile=true ;;
    *) matrix_args+=("$arg") ;;
  esac
done

if $install; then
  if ! command -v etcd >/dev/null; then
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y etcd-server
fi

server_jar=server/target/abstractions-server.jar
bench_jar=bench/target/benchmarks.jar
stale() {
  [[ ! -f "$1" ]] && return 0
  [[ -n "$(find pom.xml proto/abstractions proto/pom.xml server/src server/pom.xml bench/src bench/pom.xml -newer "$1" -type f -print -quit)" ]]
}
if stale "$server_jar" || stale "$bench_jar"; then
  echo "building $server_jar and $bench_jar" >&2
  mvn -B -q package -DskipTests
fi

work=$(mktemp -d /tmp/abstractions-bench.XXXXXX)
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); work dir $work" >&2
java -Xms1g -Xmx1g -cp "$bench_jar" dev.abstractions.bench.load.Matrix \
  --server-jar "$server_jar" --work "$work" --out "$work/report.md" "${matrix_args[@]}"

if $profile; then
  echo "profiling: group a again with JFR on the server" >&2
  java -Xms1g -Xmx1g -cp "$bench_jar" dev.abstractions.bench.load.Matrix \
    --server-jar "$server_jar" --work "$work/profile" --only a --jfr "$work/server-a.jfr" \
    --out "$work/profile-report.md" >/dev/null
  echo
  echo "### Server profile, group a ((a) Update and (b) Get), JFR execution samples"
  echo
  java -cp "$bench_jar" dev.abstractions.bench.load.JfrTop "$work/server-a.jfr" 15
fi
