#!/usr/bin/env bash
# Fails (exit 1, with a diff summary) when src-gen/ is not what scripts/gen-src.sh makes from
# the current proto/ and pins. Needs the same tools as gen-src.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

"$ROOT/scripts/gen-src.sh" "$TMP/src-gen" >/dev/null

# node_modules and __pycache__ are not generated (and ignored by git).
if diff -r -q --exclude=node_modules --exclude=__pycache__ "$ROOT/src-gen" "$TMP/src-gen" > "$TMP/summary"; then
  echo "check-src-gen: src-gen/ is up to date"
  exit 0
fi
echo "check-src-gen: src-gen/ is STALE; run scripts/gen-src.sh and commit the result." >&2
sed -e "s:$TMP/src-gen:(fresh):g" -e "s:$ROOT/::g" "$TMP/summary" >&2
echo "--- diff (first 60 lines) ---" >&2
diff -r -u --exclude=node_modules --exclude=__pycache__ "$ROOT/src-gen" "$TMP/src-gen" \
  | sed -e "s:$TMP/src-gen:(fresh):g" -e "s:$ROOT/::g" | head -60 >&2 || true
exit 1
