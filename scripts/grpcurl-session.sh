#!/usr/bin/env bash
# Prints a grpcurl session against a running server as markdown: each grpcurl command a user
# would type, followed by the real output of the same call made through server reflection by a
# Node client (interop/node/grpcurl-session.js; no grpcurl binary needed).
#
#   scripts/grpcurl-session.sh [ADDRESS] > docs/grpcurl-session.md      (default localhost:8980)
set -euo pipefail
cd "$(dirname "$0")/../interop/node"
if [[ ! -d node_modules ]]; then
  ../../scripts/npm-ci.sh >&2
fi
exec node grpcurl-session.js "${1:-${ABSTRACTIONS_ADDRESS:-localhost:8980}}"
