package dev.abstractions.server.metrics;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code abstractions_build_info{version="..."} 1}: which build a process runs, to join onto
 * other series. The version is the server jar's {@code Implementation-Version} (the shade plugin
 * writes the project version into its manifest), or {@code dev} when the classes do not come from
 * that jar (an IDE, a test run). Stateless; registered once per registry, by {@link MetricsModule}.
 */
final class BuildInfo {

  /** The version reported when no jar manifest names one. */
  static final String DEV = "dev";

  private BuildInfo() {}

  static void register(PrometheusRegistry registry) {
    Info info = Info.builder()
        .name("abstractions_build_info")
        .help("The server build this process runs; always 1")
        .labelNames("version")
        .register(registry);
    info.setLabelValues(version(BuildInfo.class.getPackage().getImplementationVersion()));
  }

  /** {@code implementationVersion}, or {@link #DEV} when there is none. */
  static String version(String implementationVersion) {
    return implementationVersion == null || implementationVersion.isBlank() ? DEV : implementationVersion;
  }
}
