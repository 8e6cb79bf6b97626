# The Abstractions Entity Server image: `docker build -t abstractions-server .` at the repository root.

# Build stage: the same reactor build as a developer's, without the tests (CI runs those).
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit); it is not part of any image.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# Runtime stage: a JRE and the shaded server jar, run as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 abstractions \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin abstractions \
 && mkdir -p /var/lib/abstractions \
 && chown 10001:10001 /var/lib/abstractions
COPY --from=build /src/server/target/abstractions-server.jar /app/abstractions-server.jar
# Numeric, so that Kubernetes can verify runAsNonRoot without looking the name up.
USER 10001:10001
# Crash files (hs_err) fall back to /tmp when the working directory is read-only.
WORKDIR /app
# gRPC (--port) and Prometheus metrics over HTTP (--metrics-port).
EXPOSE 8980 9464
# Heap sized from the container's memory limit; an OutOfMemoryError ends the process so that the
# orchestrator restarts it instead of leaving a half-working server up. More JVM flags: JDK_JAVA_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/abstractions-server.jar"]
