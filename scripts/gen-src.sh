#!/usr/bin/env bash
# Regenerates src-gen/ (the Python and Node client packages) from proto/ plus, for Node,
# google/rpc/{status,error_details}.proto, and the hand-written parts in scripts/gen-src/.
#
#   scripts/gen-src.sh            # rewrites src-gen/
#   scripts/gen-src.sh OUT_DIR    # writes the same tree into OUT_DIR (used by check-src-gen.sh)
#
# Generators are pinned; the script refuses to run with other versions so that
# the committed output only changes when the contract (or a pin) changes:
#   Python: Debian bookworm's protoc 3.21.12 (protobuf-compiler: --python_out, --pyi_out) and
#           grpc_python_plugin 1.51.1 (protobuf-compiler-grpc); stubs for the *_pb2_grpc modules
#           from scripts/gen-src/grpc_pyi.py, run by Debian's python3 with python3-protobuf.
#           The package (pyproject.toml, the client in abstractions/) is scripts/gen-src/python,
#           its version the server's from pom.xml. google.rpc comes from the
#           googleapis-common-protos dependency, so no google/ is generated.
#   Node:   no compiled code: a copy of the .proto files plus a small loader (@grpc/proto-loader
#           at run time), and TypeScript declarations from proto-loader-gen-types of
#           @grpc/proto-loader 0.8.1, pinned in interop/node/package-lock.json. The package
#           (package.json with the server's version, the promise client client.js, the CJS and
#           ESM entries) is scripts/gen-src/node.
#   google/rpc protos (Node only): from the proto-google-common-protos jar pom.xml pins.
set -euo pipefail

PROTOC_VERSION="3.21.12"
GRPC_PYTHON_PLUGIN_VERSION="1.51.1"
PROTO_LOADER_VERSION="0.8.1"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/src-gen}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
NODE_WS="$ROOT/interop/node"

die() { echo "gen-src: $*" >&2; exit 1; }

# --- pinned tools ---------------------------------------------------------------------------
command -v protoc >/dev/null || die "protoc missing: apt-get install -y protobuf-compiler"
have="$(protoc --version | awk '{print $2}')"
[[ "$have" == "$PROTOC_VERSION" ]] || die "protoc $have found, $PROTOC_VERSION pinned"
PLUGIN="$(command -v grpc_python_plugin || true)"
[[ -n "$PLUGIN" ]] || die "grpc_python_plugin missing: apt-get install -y protobuf-compiler-grpc"
have="$(dpkg-query -W -f='${Version}' protobuf-compiler-grpc 2>/dev/null || echo unknown)"
[[ "${have%%-*}" == "$GRPC_PYTHON_PLUGIN_VERSION" ]] \
  || die "grpc_python_plugin $have found, $GRPC_PYTHON_PLUGIN_VERSION pinned"
if [[ ! -d "$NODE_WS/node_modules" ]]; then
  (cd "$NODE_WS" && "$ROOT/scripts/npm-ci.sh") >&2
fi
have="$(node -p "require('$NODE_WS/node_modules/@grpc/proto-loader/package.json').version")"
[[ "$have" == "$PROTO_LOADER_VERSION" ]] || die "@grpc/proto-loader $have installed, $PROTO_LOADER_VERSION pinned"

# The server's version, without Maven's -SNAPSHOT: both packages carry it.
SERVER_VERSION="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml")"
PACKAGE_VERSION="${SERVER_VERSION%-SNAPSHOT}"
[[ "$PACKAGE_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "server version '$SERVER_VERSION' in pom.xml is not X.Y.Z[-SNAPSHOT]"

# --- inputs: our protos + google/rpc from the pinned common-protos jar -----------------------
COMMON_VERSION="$(sed -n 's:.*<google-common-protos.version>\(.*\)</google-common-protos.version>.*:\1:p' "$ROOT/pom.xml")"
[[ -n "$COMMON_VERSION" ]] || die "google-common-protos.version not found in pom.xml"
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
JAR="$M2/com/google/api/grpc/proto-google-common-protos/$COMMON_VERSION/proto-google-common-protos-$COMMON_VERSION.jar"
if [[ ! -f "$JAR" ]]; then
  (cd "$ROOT" && mvn -B -q dependency:get -Dartifact="com.google.api.grpc:proto-google-common-protos:$COMMON_VERSION") >&2
fi
[[ -f "$JAR" ]] || die "missing $JAR"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/proto"
cp -r "$ROOT/proto/abstractions" "$WORK/proto/"
/usr/bin/python3 - "$JAR" "$WORK/proto" <<'PY'
import sys, zipfile, pathlib
jar, out = sys.argv[1], pathlib.Path(sys.argv[2])
with zipfile.ZipFile(jar) as z:
    for name in ("google/rpc/status.proto", "google/rpc/error_details.proto"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(z.read(name))
PY
cd "$WORK/proto"
OURS=(abstractions/v1/entity.proto abstractions/v1/errors.proto abstractions/v1/event.proto abstractions/v1/operation.proto)
GOOGLE=(google/rpc/status.proto google/rpc/error_details.proto)
for f in "${OURS[@]}"; do [[ -f "$f" ]] || die "$f missing"; done
[[ "$(find abstractions -name '*.proto' | wc -l)" == "${#OURS[@]}" ]] \
  || die "proto/abstractions has files this script does not list; add them to OURS"
WITH_SERVICES=()
for f in "${OURS[@]}"; do grep -q '^service ' "$f" && WITH_SERVICES+=("$f"); done

# --- Python ---------------------------------------------------------------------------------
rm -rf "$OUT/python" && mkdir -p "$OUT/python"
cp -r "$ROOT/scripts/gen-src/python/." "$OUT/python/"
sed -i "s/@VERSION@/$PACKAGE_VERSION/" "$OUT/python/pyproject.toml"
protoc -I. -I/usr/include --python_out="$OUT/python" --pyi_out="$OUT/python" "${OURS[@]}"
protoc -I. -I/usr/include --plugin=protoc-gen-grpc_python="$PLUGIN" --grpc_python_out="$OUT/python" "${WITH_SERVICES[@]}"
protoc -I. -I/usr/include --include_imports --descriptor_set_out="$WORK/python.pb" "${WITH_SERVICES[@]}"
/usr/bin/python3 "$ROOT/scripts/gen-src/grpc_pyi.py" "$WORK/python.pb" "$OUT/python" "${WITH_SERVICES[@]}"

# --- Node -----------------------------------------------------------------------------------
rm -rf "$OUT/node" && mkdir -p "$OUT/node/proto"
cp --parents "${OURS[@]}" "${GOOGLE[@]}" "$OUT/node/proto/"
cp "$ROOT/scripts/gen-src/node/"{package.json,README.md,index.js,index.mjs,index.d.ts,index.d.mts,stubs.js,stubs.d.ts,client.js,client.d.ts} "$OUT/node/"
sed -i "s/@VERSION@/$PACKAGE_VERSION/" "$OUT/node/package.json"
# Same options as stubs.js passes to protoLoader.loadSync, so the types describe what it returns.
"$NODE_WS/node_modules/.bin/proto-loader-gen-types" \
  --keepCase --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js \
  -I . --outDir="$OUT/node/types" "${OURS[@]}" "${GOOGLE[@]}" >/dev/null

echo "gen-src: wrote $OUT/python and $OUT/node (protoc $PROTOC_VERSION, grpc_python_plugin $GRPC_PYTHON_PLUGIN_VERSION, @grpc/proto-loader $PROTO_LOADER_VERSION, common-protos $COMMON_VERSION)"
