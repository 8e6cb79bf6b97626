#!/usr/bin/env bash
# Profiles the entity server with Linux perf (JIT-compiled Java, the JVM's own threads and the
# kernel alike, which JFR does not see) while the load matrix runs one group.
#
#   bench/perf-profile.sh [GROUP (default a)] [SECONDS (default 30)]
#
# Starts Matrix --only GROUP with frame pointers kept on the server, waits until it is warmed
# up, records it with perf until the group's first scenario ends (at most SECONDS), and prints
# the hottest symbols, the server's own methods with what they call (inclusive), and the CPU by
# thread. The server is the in-memory one (entity-server), or for the durable group the durable
# one; its measured rounds alternate with the in-memory server's and etcd's, so about a third of
# the recording has it under load.
# Needs perf (Debian linux-perf) and permission to profile other processes.
set -euo pipefail
cd "$(dirname "$0")/.."
group=${1:-a}
seconds=${2:-30}
server_jar=$PWD/server/target/abstractions-server.jar
bench_jar=bench/target/benchmarks.jar
[[ -f $server_jar && -f $bench_jar ]] || mvn -B -q package -DskipTests
server=entity-server
[[ $group == durable ]] && server=durable-server
work=$(mktemp -d /tmp/abstractions-perf.XXXXXX)
# The server's heap is touched whole at start (-XX:+AlwaysPreTouch): otherwise the last of its
# first touch, a few hundred MB, falls in the first seconds recorded here (the pre-warm ends
# before it does) and shows as GC threads' kernel time, which the matrix's measured rounds,
# later, do not have.
java -Xms1g -Xmx1g -cp "$bench_jar" dev.abstractions.bench.load.Matrix --only "$group" \
  --server-jar "$server_jar" --work "$work" --out "$work/report.md" \
  --server-flag -XX:+PreserveFramePointer --server-flag -XX:+AlwaysPreTouch >"$work/matrix.out" 2>"$work/matrix.err" &
matrix=$!
until grep -q "pre-warmed $server" "$work/matrix.err" 2>/dev/null; do
  kill -0 $matrix 2>/dev/null || { cat "$work/matrix.err" >&2; exit 1; }
  sleep 1
done
pid=$(sed -n "s/.*pre-warmed $server (pid \\([0-9]*\\).*/\\1/p" "$work/matrix.err")
echo "recording server pid $pid until the first scenario ends, at most $seconds s; work dir $work" >&2
# Only the group's first scenario is recorded (for a: (a) Update, warm-up and measured rounds; for
# t: the tree pre-warm and (t1)'s alternating rounds, whose two rows come together): what follows
# differs (for a, Get allocates little and keeps nothing) and would dilute its shares.
# perf ends early (non-zero) if the server exits first; what it recorded until then still counts.
perf record -F 499 -g -p "$pid" -o "$work/perf.data" -- sleep "$seconds" 2>"$work/perf-record.err" &
recording=$!
while kill -0 $recording 2>/dev/null && ! grep -q '^(' "$work/matrix.err"; do
  sleep 0.2
done
kill -INT $recording 2>/dev/null || true
wait $recording || true
grep -m1 '^(' "$work/matrix.err" >&2 || true
# The JIT's symbols as they are now, in /tmp/perf-<pid>.map: the matrix goes on with the group's
# other scenarios, which recompile code into addresses the recording's samples point at.
jcmd "$pid" Compiler.perfmap >/dev/null || echo "no perf map from jcmd: Java symbols will be missing" >&2
wait $matrix || true
echo "## perf: hottest symbols (self), server pid $pid, group $group"
perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9.]+%' | sed -n 1,45p
echo
# What a change to the server's code did is read here (the share of its methods, a ratio within
# one run), since one run's throughput and CPU per call move by more than most changes do.
echo "## perf: the server's own methods, inclusive (children, self), JIT-inlined callees counted in their caller"
perf report -i "$work/perf.data" --children --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9.]+%' \
  | { grep 'dev\.abstractions\.' || true; } | sed -n 1,30p
echo
echo "## perf: CPU by thread and code (JIT-compiled Java, libjvm = GC/JIT/runtime, kernel)"
perf report -i "$work/perf.data" --no-children --sort comm,dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9.]+%' | sed -n 1,20p
