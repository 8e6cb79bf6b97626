#!/usr/bin/env bash
# Runs the polyglot interop tests against a real server:
#   the Python package (unittest), the Node package (node:test; its README example in a new
#   npm project, its TypeScript declarations with tsc), and reflection (grpc-js-reflection-client).
#
#   mvn -B -q package -DskipTests     # once: builds server/target/abstractions-server.jar
#   interop/run.sh
#
# It builds nothing but the Python wheel, and installs only into places it owns: a fresh Python
# virtual environment in a temporary folder (`pip install src-gen/python`, as a user would; the
# wheel `pip wheel` builds from the same folder is checked against what that installed), and
# `npm ci` in interop/node (when node_modules is missing or older than src-gen/node or the lock
# file). It starts the server jar on a free port
# (--port 0, the port read from its "serving" log line; --metrics-port 0, since a server the user
# runs may hold the default 9464), waits until the port accepts
# connections, runs the three suites, stops the server and exits non-zero if any suite failed.
#
# Debian packages it needs (scripts/test.sh installs them: $(interop/run.sh --apt-packages)):
# python3-venv for the virtual environment. The others are for scripts/gen-src.sh and
# scripts/check-src-gen.sh, not for this script: protoc, its gRPC Python plugin, the
# well-known-type protos (google/protobuf/struct.proto ...), which Debian ships in libprotobuf-dev,
# a package protobuf-compiler only recommends, and python3-protobuf for scripts/gen-src/grpc_pyi.py.
# Also needed, and on the java-maven machines already: a JDK 17 `java`, Node.js >= 20 with npm,
# and a pip index that has grpcio, protobuf, googleapis-common-protos and flit_core.
APT_PACKAGES="python3-venv python3-protobuf protobuf-compiler protobuf-compiler-grpc libprotobuf-dev"
set -euo pipefail

if [[ "${1:-}" == "--apt-packages" ]]; then
  echo "$APT_PACKAGES"
  exit 0
fi

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${ABSTRACTIONS_JAR:-$ROOT/server/target/abstractions-server.jar}"
WORK="$(mktemp -d)"
SERVER_PID=""

elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

[[ -f "$JAR" ]] || { echo "interop: $JAR not found; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
/usr/bin/python3 -c 'import ensurepip' 2>/dev/null \
  || { echo "interop: /usr/bin/python3 cannot make a venv; apt-get install -y python3-venv" >&2; exit 2; }
command -v node >/dev/null || { echo "interop: node not found" >&2; exit 2; }

# --- the Python package, in a fresh virtual environment ----------------------------------------
# An index that cannot be reached fails at once instead of after pip's retries (the machines
# install from a local index and cannot reach the default one); the variable also reaches the
# pip that fetches the build backend.
export PIP_RETRIES="${PIP_RETRIES:-0}"
echo "interop: python3 -m venv, pip install src-gen/python"
/usr/bin/python3 -m venv "$WORK/venv"
PY="$WORK/venv/bin/python"
(cd "$ROOT" && "$PY" -m pip install --quiet ./src-gen/python)  # the README's install line
"$PY" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$ROOT/src-gen/python"
export ABSTRACTIONS_WHEEL="$(ls "$WORK"/dist/*.whl)"

# --- Node dependencies -------------------------------------------------------------------------
NODE_DIR="$ROOT/interop/node"
if [[ ! -d "$NODE_DIR/node_modules" ]] \
   || [[ "$NODE_DIR/package-lock.json" -nt "$NODE_DIR/node_modules/.package-lock.json" ]] \
   || ! diff -rq "$ROOT/src-gen/node" "$NODE_DIR/node_modules/@abstractions/api" >/dev/null 2>&1; then
  echo "interop: npm ci in interop/node"
  (cd "$NODE_DIR" && "$ROOT/scripts/npm-ci.sh")
fi

# --- server ----------------------------------------------------------------------------------
t0=$(date +%s.%N)
# The default (durable) store, in this run's scratch directory.
java -jar "$JAR" --host 127.0.0.1 --port 0 --metrics-port 0 --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 600); do
  PORT="$(sed -n 's/.* serving port="\([0-9]*\)".*/\1/p' "$WORK/server.log" | head -1)"
  [[ -n "$PORT" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$PORT" ]]; then
  echo "interop: the server did not start; its log:" >&2
  cat "$WORK/server.log" >&2
  exit 1
fi
until (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do sleep 0.1; done
export ABSTRACTIONS_ADDRESS="127.0.0.1:$PORT"
echo "interop: server up on $ABSTRACTIONS_ADDRESS in $(elapsed "$t0") s"

# --- suites ----------------------------------------------------------------------------------
PASSED=0
FAILED=0
SUMMARY=()
suite() { # name, counting function, command...
  local name="$1" count="$2"; shift 2
  local start rc=0 secs p f
  echo
  echo "=== $name: $*"
  start=$(date +%s.%N)
  "$@" 2>&1 | tee "$WORK/$name.out" || rc=$?
  secs=$(elapsed "$start")
  read -r p f < <("$count" "$WORK/$name.out")
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi # a crash that ran no test still fails
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  SUMMARY+=("$(printf '%-11s %s (%s passed, %s failed) in %s s' "$name" "$([[ $rc -eq 0 ]] && echo ok || echo FAILED)" "$p" "$f" "$secs")")
}
count_unittest() { # "Ran N tests" and "FAILED (failures=a, errors=b)"
  local ran bad
  ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' "$1" | tail -1)
  bad=$(sed -n 's/^FAILED (\(.*\))$/\1/p' "$1" | tail -1 | grep -o -E '(failures|errors)=[0-9]+' \
        | awk -F= '{ n += $2 } END { print n + 0 }' || true)
  ran=${ran:-0}; bad=${bad:-0}
  echo "$((ran - bad)) $bad"
}
count_node() { # "# pass N" / "# fail N"
  echo "$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$1" | tail -1 | grep . || echo 0)" \
       "$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$1" | tail -1 | grep . || echo 0)"
}

suite python count_unittest "$PY" -m unittest discover -s "$ROOT/interop/python" -v
suite node count_node node --test "$NODE_DIR/test/interop.test.js" "$NODE_DIR/test/client.test.js" \
  "$NODE_DIR/test/trees.test.js" "$NODE_DIR/test/types.test.js" "$NODE_DIR/test/readme.test.js"
suite reflection count_node node --test "$NODE_DIR/test/reflection.test.js"

stop_server
echo
echo "=== interop summary (total $(elapsed "$t0") s)"
printf '%s\n' "${SUMMARY[@]}"
echo "interop: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
