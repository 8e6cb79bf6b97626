#!/usr/bin/env bash
# `npm ci` in the current directory, bounded in time and retried: the npm registry has been seen
# here to stall a download for over 8 minutes with no error (npm's own fetch timeout never fired),
# which would hold a CI run until its limit. Each attempt gets 5 minutes (a normal one takes
# seconds); after three, it fails.
set -euo pipefail
for attempt in 1 2 3; do
  if timeout --kill-after=10 300 npm ci --no-audit --no-fund --loglevel=error; then
    exit 0
  fi
  echo "npm-ci: attempt $attempt in $PWD failed or took over 5 minutes" >&2
done
exit 1
