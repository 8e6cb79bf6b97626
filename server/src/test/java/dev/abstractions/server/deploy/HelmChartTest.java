package dev.abstractions.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Checks the Helm chart in helm/abstractions against the server it deploys: the names, ports,
 * probes, settings and mounted files the templates render for values.yaml must be ones the server
 * reads. Helm cannot be installed here, so {@link ChartRenderer} renders the templates by a fixed
 * substitution table (all conditional blocks at once); the server's options come from
 * {@link ServerConfig}'s picocli model, with the environment variable each one falls back to.
 */
class HelmChartTest {

  /**
   * Options the chart already sets for backends still to come: the durable store's data
   * directory. Each is accepted as known while ServerConfig lacks it, with the environment variable
   * derived as --foo-bar to ABSTRACTIONS_FOO_BAR; once it lands it is checked like any other.
   * Remove each entry when its option is in ServerConfig.
   */
  private static final Set<String> PENDING_OPTIONS = Set.of("--data-dir");

  private static final Pattern ENV_IN_DESCRIPTION = Pattern.compile("\\((ABSTRACTIONS_[A-Z0-9_]+)\\)");
  private static final Pattern LOGBACK_SETTING = Pattern.compile("\\$\\{(ABSTRACTIONS_[A-Z0-9_]+)");

  private static Path repository;
  private static ChartRenderer renderer;
  private static List<Map<String, Object>> manifests;
  /** Long option name, e.g. --port, to the server's option. */
  private static Map<String, ServerOption> options;
  /** Environment variable, e.g. ABSTRACTIONS_PORT, to the server's option. */
  private static Map<String, ServerOption> optionsByEnv;
  private static Set<String> logbackSettings;

  private record ServerOption(String name, String env, String defaultValue, boolean pending) {}

  @BeforeAll
  static void renderTheChartAndReadTheServerOptions() {
    repository = repositoryRoot();
    renderer = new ChartRenderer(repository.resolve("helm/abstractions"));
    manifests = renderer.renderManifests();
    options = new HashMap<>();
    optionsByEnv = new HashMap<>();
    for (OptionSpec option : ServerConfig.commandLine(new String[0], Map.of()).getCommandSpec().options()) {
      ServerOption known = serverOption(option);
      for (String name : option.names()) {
        options.put(name, known);
      }
      if (known.env != null) {
        optionsByEnv.put(known.env, known);
      }
    }
    for (String pending : PENDING_OPTIONS) {
      if (!options.containsKey(pending)) {
        ServerOption option = new ServerOption(pending, envFor(pending), null, true);
        options.put(pending, option);
        optionsByEnv.put(option.env, option);
      }
    }
    logbackSettings = new TreeSet<>();
    Matcher matcher = LOGBACK_SETTING.matcher(classpathText("logback.xml"));
    while (matcher.find()) {
      logbackSettings.add(matcher.group(1));
    }
  }

  @Test
  void chartDeploysThisServerVersion() {
    assertThat(renderer.chart()).containsEntry("apiVersion", "v2").containsEntry("name", "abstractions");
    String[] version = ServerConfig.commandLine(new String[0], Map.of()).getCommandSpec().version()[0].split(" ");
    assertThat(renderer.chart().get("appVersion")).isEqualTo(version[version.length - 1]);
  }

  @Test
  void helperOutputsAreKnownForTheDefaultNames() {
    assertThat(renderer.definedHelpers()).isEqualTo(renderer.knownHelpers());
    assertThat(renderer.value("nameOverride")).isEqualTo("");
    assertThat(renderer.value("fullnameOverride")).isEqualTo("");
    assertThat(renderer.value("image.tag")).isEqualTo("");
  }

  @Test
  void everySettingInTheConfigMapIsOneTheServerReads() {
    Map<String, Object> data = configMapData();
    assertThat(data).isNotEmpty();
    List<String> unknown = data.keySet().stream()
        .filter(key -> !optionsByEnv.containsKey(key) && !logbackSettings.contains(key))
        .toList();
    assertThat(unknown)
        .as("ConfigMap keys that are neither a server option's variable %s nor a logback setting %s",
            new TreeSet<>(optionsByEnv.keySet()), logbackSettings)
        .isEmpty();
  }

  @Test
  void configDefaultsAreTheServerDefaultsAndReachTheConfigMap() {
    Map<String, Object> data = configMapData();
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) renderer.value("config");
    for (Map.Entry<String, Object> setting : config.entrySet()) {
      String flag = "--" + setting.getKey().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
      ServerOption option = options.get(flag);
      assertThat(option).as("config.%s is not a server option (%s)", setting.getKey(), flag).isNotNull();
      assertThat(String.valueOf(setting.getValue()))
          .as("config.%s differs from the server's default for %s", setting.getKey(), flag)
          .isEqualTo(option.defaultValue);
      assertThat(data.get(option.env)).as("%s in the ConfigMap", option.env).isEqualTo(option.defaultValue);
    }
    Map<String, String> otherSettings = Map.of("ports.grpc", "--port", "ports.metrics", "--metrics-port", "store", "--store");
    otherSettings.forEach((path, flag) -> {
      ServerOption option = options.get(flag);
      if (!option.pending) {
        assertThat(String.valueOf(renderer.value(path)))
            .as("%s differs from the server's default for %s", path, flag)
            .isEqualTo(option.defaultValue);
      }
    });
  }

  @Test
  void argsThePodPassesAreServerOptions() {
    List<String> unknown = list(container().get("args")).stream()
        .map(arg -> arg.toString().split("=", 2)[0])
        .filter(flag -> flag.startsWith("-") && !options.containsKey(flag))
        .toList();
    assertThat(unknown).as("flags the chart passes that the server lacks").isEmpty();
  }

  @Test
  void grpcPortIsTheSameForServerServicesAndProbes() {
    int port = Integer.parseInt((String) configMapData().get(options.get("--port").env));
    assertThat(port).isEqualTo(renderer.value("ports.grpc"));
    assertThat(containerPort("grpc")).isEqualTo(port);
    assertThat(targetPortOf(service(), "grpc")).isEqualTo(port);
    assertThat(targetPortOf(headlessService(), "grpc")).isEqualTo(port);
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Map<String, Object> handler = map(container().get(probe));
      Map<String, Object> grpc = map(handler.get("grpc"));
      assertThat(grpc.get("port")).as("%s grpc port", probe).isEqualTo(port);
      assertThat(grpc.get("service")).as("%s asks for the server-wide health", probe).isNull();
      assertThat(resolvePort(map(handler.get("tcpSocket")).get("port"))).as("%s TLS fallback port", probe)
          .isEqualTo(port);
    }
    assertThat(dockerfileExposed()).contains(port);
  }

  @Test
  void metricsPortIsTheSameForServerServiceAndServiceMonitor() {
    int port = Integer.parseInt((String) configMapData().get(options.get("--metrics-port").env));
    assertThat(port).isEqualTo(renderer.value("ports.metrics"));
    assertThat(containerPort("metrics")).isEqualTo(port);
    assertThat(targetPortOf(service(), "metrics")).isEqualTo(port);

    Map<String, Object> monitor = manifest("ServiceMonitor", fullname());
    assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
    Map<String, Object> spec = map(monitor.get("spec"));
    Map<String, Object> endpoint = map(list(spec.get("endpoints")).get(0));
    assertThat(targetPortOf(service(), (String) endpoint.get("port"))).isEqualTo(port);
    assertThat(endpoint.get("path")).isEqualTo("/metrics");
    assertThat(labels(service())).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));
    assertThat(list(map(headlessService().get("spec")).get("ports")))
        .as("the headless Service has no metrics port, so each pod is scraped once")
        .noneMatch(p -> resolvePort(map(p).get("targetPort")) == port);
    assertThat(dockerfileExposed()).contains(port);
  }

  @Test
  void secretFilesAreMountedReadOnlyWhereTheirSettingsPoint() {
    Map<String, Object> data = configMapData();
    for (String flag : List.of("--tls-cert", "--tls-key", "--tls-client-ca", "--auth-tokens-file")) {
      String env = options.get(flag).env;
      assertThat(data).as("the ConfigMap sets %s for %s", env, flag).containsKey(env);
      Path file = Path.of((String) data.get(env));
      Map<String, Object> mount = mountOf(file.getParent().toString());
      assertThat(mount.get("readOnly")).as("the mount of %s", file).isEqualTo(true);
      Map<String, Object> secret = map(volume((String) mount.get("name")).get("secret"));
      assertThat(list(secret.get("items")))
          .as("%s: a Secret item lands at %s", flag, file)
          .anyMatch(item -> file.getFileName().toString().equals(map(item).get("path")));
    }
  }

  @Test
  void dataDirIsTheWritableDataVolumeOrItsClaim() {
    Map<String, Object> mount = mountOf((String) configMapData().get(options.get("--data-dir").env));
    assertThat(mount.get("readOnly")).isNotEqualTo(true);
    String name = (String) mount.get("name");
    assertThat(volume(name)).containsKey("emptyDir");
    List<Object> claims = list(map(statefulSet().get("spec")).get("volumeClaimTemplates"));
    assertThat(claims).anyMatch(claim -> name.equals(map(map(claim).get("metadata")).get("name")));
  }

  @Test
  void optionalResourcesAreGuardedByTheirSwitches() {
    Path templates = repository.resolve("helm/abstractions/templates");
    assertThat(firstLine(templates.resolve("servicemonitor.yaml"))).isEqualTo("{{- if .Values.serviceMonitor.enabled }}");
    assertThat(renderer.value("serviceMonitor.enabled")).isEqualTo(false);
    assertThat(firstLine(templates.resolve("poddisruptionbudget.yaml")))
        .isEqualTo("{{- if .Values.podDisruptionBudget.enabled }}");
    List<String> statefulSet = ChartRenderer.read(templates.resolve("statefulset.yaml")).lines().toList();
    int claims = statefulSet.indexOf("  volumeClaimTemplates:");
    assertThat(statefulSet.get(claims - 1)).isEqualTo("  {{- if .Values.persistence.enabled }}");
  }

  @Test
  void podRunsAsTheImageUserOnAReadOnlyRootWithoutCapabilities() {
    Map<String, Object> pod = podSpec();
    Map<String, Object> podSecurity = map(pod.get("securityContext"));
    assertThat(podSecurity).containsEntry("runAsNonRoot", true);
    assertThat(podSecurity.get("runAsUser")).isEqualTo(dockerfileUid());
    Map<String, Object> security = map(container().get("securityContext"));
    assertThat(security)
        .containsEntry("runAsNonRoot", true)
        .containsEntry("readOnlyRootFilesystem", true)
        .containsEntry("allowPrivilegeEscalation", false);
    assertThat(map(security.get("capabilities")).get("drop")).isEqualTo(List.of("ALL"));
    assertThat(volume((String) mountOf("/tmp").get("name"))).containsKey("emptyDir");
  }

  @Test
  void selectorsFindThePodsAndTheStatefulSetIsGovernedByTheHeadlessService() {
    Map<String, Object> podLabels = map(map(map(map(statefulSet().get("spec")).get("template")).get("metadata")).get("labels"));
    Map<String, Object> spec = map(statefulSet().get("spec"));
    assertThat(podLabels).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));
    assertThat(podLabels).containsAllEntriesOf(map(map(service().get("spec")).get("selector")));
    assertThat(podLabels).containsAllEntriesOf(map(map(headlessService().get("spec")).get("selector")));
    Map<String, Object> budget = manifest("PodDisruptionBudget", fullname());
    assertThat(podLabels).containsAllEntriesOf(map(map(map(budget.get("spec")).get("selector")).get("matchLabels")));

    assertThat(spec.get("serviceName")).isEqualTo(name(headlessService()));
    assertThat(map(headlessService().get("spec")))
        .containsEntry("clusterIP", "None")
        .containsEntry("publishNotReadyAddresses", true);
    assertThat(list(container().get("envFrom")))
        .anyMatch(source -> name(configMap()).equals(map(map(source).get("configMapRef")).get("name")));
  }

  @Test
  void anOutOfMemoryErrorEndsTheJvmInTheImageAndInThePodWhateverJavaOptionsAdd() {
    String entrypoint = ChartRenderer.read(repository.resolve("Dockerfile")).lines()
        .filter(line -> line.startsWith("ENTRYPOINT "))
        .reduce((first, last) -> last)
        .orElseThrow(() -> new AssertionError("the Dockerfile has no ENTRYPOINT"));
    assertThat(entrypoint).contains("\"-XX:+ExitOnOutOfMemoryError\"");
    Map<String, Object> javaOptions = list(container().get("env")).stream()
        .map(HelmChartTest::map)
        .filter(variable -> "JDK_JAVA_OPTIONS".equals(variable.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the container does not set JDK_JAVA_OPTIONS"));
    assertThat(((String) javaOptions.get("value")).split(" ")).startsWith("-XX:+ExitOnOutOfMemoryError");
    assertThat(renderer.value("javaOptions")).isEqualTo("");
  }

  @Test
  void podOutlastsTheServersShutdownGrace() {
    Duration grace = Duration.parse((String) renderer.value("config.shutdownGrace"));
    Object termination = podSpec().get("terminationGracePeriodSeconds");
    assertThat(((Number) termination).longValue()).isGreaterThan(grace.toSeconds());
  }

  @Test
  void everyValueIsCommentedInValuesYamlAndListedInTheReadme() {
    List<String> lines = ChartRenderer.read(repository.resolve("helm/abstractions/values.yaml")).lines().toList();
    List<String> uncommented = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).matches("\\s*[A-Za-z][\\w.-]*:.*") && !lines.get(i - 1).trim().startsWith("#")) {
        uncommented.add((i + 1) + ": " + lines.get(i));
      }
    }
    assertThat(uncommented).as("values.yaml lines without a comment line above").isEmpty();
    String readme = ChartRenderer.read(repository.resolve("helm/abstractions/README.md"));
    List<String> paths = new ArrayList<>();
    leafPaths("", renderer.values(), paths);
    assertThat(paths.stream().filter(path -> !readme.contains("| `" + path + "` |")).toList())
        .as("values missing from the table in helm/abstractions/README.md")
        .isEmpty();
  }

  @Test
  void notesRenderFromKnownExpressions() {
    String notes = renderer.render(repository.resolve("helm/abstractions/templates/NOTES.txt"));
    assertThat(notes).contains(fullname() + "." + ChartRenderer.NAMESPACE + ".svc:" + renderer.value("ports.grpc"));
  }

  // --- the server's options

  private static ServerOption serverOption(OptionSpec option) {
    Matcher matcher = ENV_IN_DESCRIPTION.matcher(String.join(" ", option.description()));
    String env = matcher.find() ? matcher.group(1) : null;
    return new ServerOption(option.longestName(), env, option.defaultValue(), false);
  }

  private static String envFor(String flag) {
    return "ABSTRACTIONS_" + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  // --- the rendered manifests

  private static Map<String, Object> manifest(String kind, String name) {
    return manifests.stream()
        .filter(m -> kind.equals(m.get("kind")) && name.equals(name(m)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among the rendered manifests"));
  }

  private static String fullname() {
    return ChartRenderer.RELEASE + "-" + renderer.chart().get("name");
  }

  private static Map<String, Object> configMap() {
    return manifest("ConfigMap", fullname());
  }

  private static Map<String, Object> configMapData() {
    return map(configMap().get("data"));
  }

  private static Map<String, Object> service() {
    return manifest("Service", fullname());
  }

  private static Map<String, Object> headlessService() {
    return manifest("Service", fullname() + "-headless");
  }

  private static Map<String, Object> statefulSet() {
    return manifest("StatefulSet", fullname());
  }

  private static Map<String, Object> podSpec() {
    return map(map(map(statefulSet().get("spec")).get("template")).get("spec"));
  }

  private static Map<String, Object> container() {
    List<Object> containers = list(podSpec().get("containers"));
    assertThat(containers).hasSize(1);
    return map(containers.get(0));
  }

  private static int containerPort(String name) {
    return list(container().get("ports")).stream()
        .map(HelmChartTest::map)
        .filter(p -> name.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the container has no port named " + name));
  }

  /** A port number, or a port name resolved through the container's ports. */
  private static int resolvePort(Object port) {
    return port instanceof Integer number ? number : containerPort((String) port);
  }

  private static int targetPortOf(Map<String, Object> service, String portName) {
    return list(map(service.get("spec")).get("ports")).stream()
        .map(HelmChartTest::map)
        .filter(p -> portName.equals(p.get("name")))
        .map(p -> resolvePort(p.get("targetPort")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name(service) + " has no port named " + portName));
  }

  private static Map<String, Object> mountOf(String directory) {
    return list(container().get("volumeMounts")).stream()
        .map(HelmChartTest::map)
        .filter(m -> directory.equals(m.get("mountPath")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing is mounted at " + directory));
  }

  private static Map<String, Object> volume(String name) {
    return list(podSpec().get("volumes")).stream()
        .map(HelmChartTest::map)
        .filter(v -> name.equals(v.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the pod has no volume " + name));
  }

  private static String name(Map<String, Object> manifest) {
    return (String) map(manifest.get("metadata")).get("name");
  }

  private static Map<String, Object> labels(Map<String, Object> manifest) {
    return map(map(manifest.get("metadata")).get("labels"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    return node == null ? Map.of() : (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node) {
    return node == null ? List.of() : (List<Object>) node;
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

  // --- the repository's files

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("helm/abstractions/Chart.yaml"))) {
        return dir;
      }
    }
    throw new AssertionError("no helm/abstractions/Chart.yaml above " + Path.of("").toAbsolutePath());
  }

  private static Set<Integer> dockerfileExposed() {
    Set<Integer> ports = new TreeSet<>();
    for (String line : ChartRenderer.read(repository.resolve("Dockerfile")).lines().toList()) {
      if (line.startsWith("EXPOSE ")) {
        for (String port : line.substring("EXPOSE ".length()).trim().split("\\s+")) {
          ports.add(Integer.parseInt(port.split("/")[0]));
        }
      }
    }
    return ports;
  }

  private static int dockerfileUid() {
    return ChartRenderer.read(repository.resolve("Dockerfile")).lines()
        .filter(line -> line.startsWith("USER "))
        .map(line -> Integer.parseInt(line.substring("USER ".length()).trim().split(":")[0]))
        .reduce((first, last) -> last)
        .orElseThrow(() -> new AssertionError("the Dockerfile sets no USER"));
  }

  private static String firstLine(Path file) {
    return ChartRenderer.read(file).lines().findFirst().orElse("");
  }

  private static String classpathText(String resource) {
    try (InputStream in = HelmChartTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError(resource + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
