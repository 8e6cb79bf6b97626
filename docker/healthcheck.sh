#!/bin/sh
# The image's HEALTHCHECK (Docker and Compose; Kubernetes ignores it and uses the chart's probes):
# asks the gRPC health service whether the server is SERVING. It reads the settings from the
# environment (ABSTRACTIONS_PORT, ABSTRACTIONS_TLS_CERT, ABSTRACTIONS_TLS_CLIENT_CA): a server
# configured by flags or a --config file needs its own HEALTHCHECK.
set -eu
address="127.0.0.1:${ABSTRACTIONS_PORT:-8980}"
if [ -n "${ABSTRACTIONS_TLS_CLIENT_CA:-}" ]; then
  # Mutual TLS: this check holds no client certificate the server would accept, so it settles for
  # the port taking connections.
  exec bash -c "exec 3<>/dev/tcp/127.0.0.1/${ABSTRACTIONS_PORT:-8980}"
elif [ -n "${ABSTRACTIONS_TLS_CERT:-}" ]; then
  # The certificate names the server's public host, not 127.0.0.1: checked by clients, not here.
  exec grpc_health_probe -addr="$address" -tls -tls-no-verify
else
  exec grpc_health_probe -addr="$address"
fi
