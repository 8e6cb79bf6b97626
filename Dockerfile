# The Abstractions Entity Server image: `docker build -t abstractions-server .` at the repository root.
# Base images are pinned to exact tags (not digests: the digests could not be looked up where this
# was written); bump them together with the JDK the project builds with.

# grpc_health_probe, for the HEALTHCHECK and the chart's `helm test` pod: built from its Go module,
# whose checksum the Go toolchain verifies against the checksum database. Static, so it runs on the
# runtime image's Ubuntu.
FROM golang:1.24.4-alpine3.22 AS probe
RUN CGO_ENABLED=0 GOBIN=/out go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.39

# Build stage: the server and the modules it needs (-am), without the tests (CI runs those) and
# without the benchmarks, the client or the chart tests.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit); it is not part of any image.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl server -am package -DskipTests

# Runtime stage: a JRE and the shaded server jar, run as an unprivileged user.
FROM eclipse-temurin:17.0.15_6-jre-jammy
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Abstractions Entity Server" \
      org.opencontainers.image.description="Versioned, immutable entities over gRPC with compare-and-set writes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17.0.15_6-jre-jammy"
RUN groupadd --system --gid 10001 abstractions \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin abstractions \
 && mkdir -p /var/lib/abstractions \
 && chown 10001:10001 /var/lib/abstractions
COPY --from=probe /out/grpc-health-probe /usr/local/bin/grpc_health_probe
COPY docker/healthcheck.sh /usr/local/bin/abstractions-healthcheck
COPY --from=build /src/server/target/abstractions-server.jar /app/abstractions-server.jar
# Numeric, so that Kubernetes can verify runAsNonRoot without looking the name up.
USER 10001:10001
# Crash files (hs_err) fall back to /tmp when the working directory is read-only.
WORKDIR /app
# gRPC (--port) and Prometheus metrics over HTTP (--metrics-port).
EXPOSE 8980 9464
# The JVM takes a few seconds to start serving; the durable store replays its log first.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["/usr/local/bin/abstractions-healthcheck"]
# Heap sized from the container's memory limit; an OutOfMemoryError ends the process so that the
# orchestrator restarts it instead of leaving a half-working server up. More JVM flags: JDK_JAVA_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/abstractions-server.jar"]
