package dev.abstractions.helm;

import static dev.abstractions.helm.Manifests.list;
import static dev.abstractions.helm.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.grpc.BearerTokenInterceptor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The chart passes only settings the server reads, with values it accepts: checked against
 * ServerConfig's picocli model (each option's environment variable is named in its description),
 * the logback configuration, and the Dockerfile the image is built from.
 */
class ChartMatchesServerTest {

  /** Server options the chart sets from values other than config.*, or leaves out on purpose. */
  private static final Set<String> NOT_IN_CONFIG = Set.of(
      "--port", "--metrics-port", "--store", "--data-dir", "--node-id", "--peers",
      "--tls-cert", "--tls-key", "--tls-client-ca", "--auth-tokens-file",
      // logging.* (logback reads the variables; the server may also offer them as options).
      "--log-format", "--log-level",
      // Settings come from the environment, not a file; a pod listens on every address; tokens come
      // from the Secret's file rather than a variable in the pod spec.
      "--config", "--host", "--auth-tokens",
      "--help", "--version");

  private static final Pattern ENV_IN_DESCRIPTION = Pattern.compile("\\((ABSTRACTIONS_[A-Z0-9_]+)\\)");
  private static final Pattern LOGBACK_VARIABLE = Pattern.compile("\\$\\{(ABSTRACTIONS_[A-Z0-9_]+)");

  /** Every toggle that adds a setting, on. */
  private static final Map<String, String> EVERYTHING_ON = Map.of(
      "store", "durable",
      "tls.existingSecret", "server-tls",
      "tls.clientCa.existingSecret", "clients-ca",
      "auth.existingSecret", "tokens");

  @Test
  void everyVariableTheChartRendersIsOneTheServerReads() {
    Map<String, String> known = serverVariables();
    Set<String> logback = logbackVariables();
    Set<String> unknown = new TreeSet<>(Chart.render(EVERYTHING_ON).configMapData().keySet());
    unknown.removeIf(variable -> known.containsKey(variable) || logback.contains(variable));
    assertThat(unknown).as("rendered variables that are neither a server option's %s nor logback's %s",
        new TreeSet<>(known.keySet()), logback).isEmpty();
    assertThat(Chart.render(EVERYTHING_ON).configMapData()).containsKeys("ABSTRACTIONS_DATA_DIR",
        "ABSTRACTIONS_TLS_CERT", "ABSTRACTIONS_TLS_KEY", "ABSTRACTIONS_TLS_CLIENT_CA", "ABSTRACTIONS_AUTH_TOKENS_FILE");
  }

  @Test
  void everyServerOptionIsInConfigOrDeliberatelyElsewhere() {
    Set<String> config = new TreeSet<>(map(Chart.values().get("config")).keySet().stream()
        .map(ChartMatchesServerTest::flag).toList());
    Set<String> missing = new TreeSet<>();
    for (OptionSpec option : options()) {
      if (!config.contains(option.longestName()) && !NOT_IN_CONFIG.contains(option.longestName())) {
        missing.add(option.longestName());
      }
    }
    assertThat(missing).as("server options the chart's config does not offer").isEmpty();
  }

  @Test
  void configDefaultsAreTheServersDefaults() {
    Map<String, OptionSpec> byName = new HashMap<>();
    options().forEach(option -> byName.put(option.longestName(), option));
    map(Chart.values().get("config")).forEach((key, value) -> {
      OptionSpec option = byName.get(flag(key));
      assertThat(option).as("config.%s is not a server option (%s)", key, flag(key)).isNotNull();
      assertThat(sameSetting(String.valueOf(value), option.defaultValue()))
          .as("config.%s = %s, the server's %s defaults to %s", key, value, flag(key), option.defaultValue())
          .isTrue();
    });
    assertThat(Chart.values().get("store")).isEqualTo(byName.get("--store").defaultValue());
    assertThat(String.valueOf(map(Chart.values().get("ports")).get("grpc"))).isEqualTo(byName.get("--port").defaultValue());
    assertThat(String.valueOf(map(Chart.values().get("ports")).get("metrics")))
        .isEqualTo(byName.get("--metrics-port").defaultValue());
  }

  @Test
  void theServerAcceptsTheRenderedSettings() {
    Map<String, String> environment = new HashMap<>();
    Chart.render(Map.of("config.maxMemory", "536870912", "config.historyLimit", "7"), "config:\n  maxClientShare: 0.25\n")
        .configMapData().forEach((key, value) -> environment.put(key, (String) value));
    CommandLine commandLine = ServerConfig.commandLine(new String[0], environment);
    commandLine.parseArgs();
    ServerConfig config = ServerConfig.checked(commandLine);
    assertThat(config.maxMemoryBytes()).isEqualTo(536870912L);
    assertThat(config.historyLimit()).isEqualTo(7);
    assertThat(config.maxOperationsPerClient()).isEqualTo(250);
    assertThat(config.port()).isEqualTo(8980);
    assertThat(config.metricsPort()).isEqualTo(9464);
    assertThat(config.store().name()).isEqualTo("durable");
  }

  @Test
  void theStoresTheChartOffersAreTheServers() {
    Set<String> offered = new TreeSet<>(list(Manifests.at(schema(), "properties.store.enum")).stream().map(String::valueOf).toList());
    Set<String> server = new TreeSet<>();
    for (ServerConfig.Store store : ServerConfig.Store.values()) {
      server.add(store.name());
    }
    assertThat(offered).isEqualTo(server);
  }

  @Test
  void theDocumentedTokensFileIsOneTheServerParses() {
    String readme = Chart.read(Chart.DIRECTORY.resolve("README.md"));
    Matcher example = Pattern.compile("```text\\n(# tokens file\\n.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(example.find()).as("the chart README shows a tokens file in a ```text block starting '# tokens file'").isTrue();
    List<BearerTokenInterceptor.Token> tokens = BearerTokenInterceptor.parse(example.group(1));
    assertThat(tokens.stream().map(BearerTokenInterceptor.Token::role).toList()).containsExactly(
        BearerTokenInterceptor.Role.READ, BearerTokenInterceptor.Role.WRITE, BearerTokenInterceptor.Role.ADMIN);
  }

  @Test
  void theImageServesOnTheChartsPortsAsTheChartsUser() {
    String dockerfile = Chart.read(Chart.REPOSITORY.resolve("Dockerfile"));
    assertThat(lastLine(dockerfile, "EXPOSE ")).isEqualTo("EXPOSE 8980 9464");
    assertThat(lastLine(dockerfile, "USER ")).isEqualTo("USER 10001:10001");
    assertThat(map(Chart.values().get("podSecurityContext"))).containsEntry("runAsUser", 10001).containsEntry("runAsGroup", 10001);
    assertThat(lastLine(dockerfile, "ENTRYPOINT ")).contains("\"-XX:+ExitOnOutOfMemoryError\"");
    // The helm test pod runs grpc_health_probe from the server image.
    assertThat(dockerfile).contains("/usr/local/bin/grpc_health_probe");
    assertThat(lastLine(dockerfile, "HEALTHCHECK ")).endsWith("CMD [\"/usr/local/bin/abstractions-healthcheck\"]");
    // Only the server and what it needs are built: no benchmarks.
    assertThat(dockerfile).contains("mvn -B -q -pl server -am package -DskipTests");
    for (String from : dockerfile.lines().filter(line -> line.startsWith("FROM ")).toList()) {
      assertThat(from).as("a base image pinned to an exact version").matches("FROM [a-z][a-z0-9-]*:\\d+\\.\\d+\\.\\d+[-_.a-z0-9]*( AS [a-z]+)?");
    }
    for (String label : List.of("title", "description", "version", "revision", "base.name")) {
      assertThat(dockerfile).contains("org.opencontainers.image." + label + "=");
    }
  }

  @Test
  void thePodOutlastsTheServersShutdownGrace() {
    Duration grace = Duration.parse((String) map(Chart.values().get("config")).get("shutdownGrace"));
    assertThat(((Number) Chart.render(Map.of()).podSpec().get("terminationGracePeriodSeconds")).longValue())
        .isGreaterThan(grace.toSeconds());
  }

  @Test
  void jvmOptionsKeepExitingOnOutOfMemory() {
    Map<String, Object> env = map(list(Chart.render(Map.of("javaOptions", "-XX:+UseZGC")).container().get("env")).get(0));
    assertThat(env).isEqualTo(Map.of("name", "JDK_JAVA_OPTIONS", "value", "-XX:+ExitOnOutOfMemoryError -XX:+UseZGC"));
  }

  @Test
  void everyValueIsCommentedAndListedInTheReadme() {
    List<String> lines = Chart.read(Chart.DIRECTORY.resolve("values.yaml")).lines().toList();
    List<String> uncommented = new java.util.ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).matches("\\s*[A-Za-z][\\w.-]*:.*") && !lines.get(i - 1).trim().startsWith("#")) {
        uncommented.add((i + 1) + ": " + lines.get(i));
      }
    }
    assertThat(uncommented).as("values.yaml lines without a comment line above").isEmpty();
    String readme = Chart.read(Chart.DIRECTORY.resolve("README.md"));
    List<String> paths = new java.util.ArrayList<>();
    leafPaths("", Chart.values(), paths);
    assertThat(paths.stream().filter(path -> !readme.contains("| `" + path + "` |")).toList())
        .as("values missing from the table in helm/abstractions/README.md").isEmpty();
  }

  // --- the server's options

  private static List<OptionSpec> options() {
    return ServerConfig.commandLine(new String[0], Map.of()).getCommandSpec().options();
  }

  /** Each environment variable a server option reads, to the option. */
  private static Map<String, String> serverVariables() {
    Map<String, String> variables = new HashMap<>();
    for (OptionSpec option : options()) {
      Matcher env = ENV_IN_DESCRIPTION.matcher(String.join(" ", option.description()));
      if (env.find()) {
        variables.put(env.group(1), option.longestName());
      }
    }
    return variables;
  }

  private static Set<String> logbackVariables() {
    Set<String> variables = new TreeSet<>();
    Matcher matcher = LOGBACK_VARIABLE.matcher(Chart.read(Chart.REPOSITORY.resolve("server/src/main/resources/logback.xml")));
    while (matcher.find()) {
      variables.add(matcher.group(1));
    }
    return variables;
  }

  /** {@code maxEntityBytes} to {@code --max-entity-bytes}. */
  private static String flag(String key) {
    return "--" + key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
  }

  /** The same number (1.0 is 1) or the same ISO-8601 duration, else the same text. */
  private static boolean sameSetting(String chart, String server) {
    if (server == null) {
      return false;
    }
    try {
      return new BigDecimal(chart).compareTo(new BigDecimal(server)) == 0;
    } catch (NumberFormatException notANumber) {
      try {
        return Duration.parse(chart).equals(Duration.parse(server));
      } catch (java.time.format.DateTimeParseException notADuration) {
        return chart.equals(server);
      }
    }
  }

  private static Map<String, Object> schema() {
    return map(new org.yaml.snakeyaml.Yaml().load(Chart.read(Chart.DIRECTORY.resolve("values.schema.json"))));
  }

  private static String lastLine(String text, String prefix) {
    return text.lines().filter(line -> line.startsWith(prefix)).reduce((first, last) -> last)
        .orElseThrow(() -> new AssertionError("no line starts with " + prefix));
  }

  private static void leafPaths(String prefix, Map<String, Object> node, List<String> paths) {
    for (Map.Entry<String, Object> entry : node.entrySet()) {
      String path = prefix + entry.getKey();
      if (entry.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
        leafPaths(path + ".", map(child), paths);
      } else {
        paths.add(path);
      }
    }
  }
}
