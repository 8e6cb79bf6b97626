#!/usr/bin/env bash
# Runs every test: the Java build and its tests (unit, property, linearizability, integration over
# real channels), the src-gen/ staleness check, and the Python, Node and reflection interop suites
# against the built server. Installs the Debian packages the tests and the interop suites need when
# missing (root on Debian, as on the project's machines), each by name: --no-install-recommends
# installs nothing they do not name.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
# procps: kill(1), with which the replicated-store tests freeze and thaw a member (SIGSTOP/SIGCONT).
for package in procps $(interop/run.sh --apt-packages); do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: needs Debian packages: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

mvn -B verify
scripts/check-src-gen.sh
interop/run.sh
