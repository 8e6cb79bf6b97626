package dev.abstractions.helm;

import static dev.abstractions.helm.Manifests.at;
import static dev.abstractions.helm.Manifests.list;
import static dev.abstractions.helm.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What real Helm renders for the chart's key cases, and the values its schema refuses. */
class ChartRenderingTest {

  private static final Map<String, Object> TMP_MOUNT = Map.of("name", "tmp", "mountPath", "/tmp");
  private static final Map<String, Object> DATA_MOUNT = Map.of("name", "data", "mountPath", "/var/lib/abstractions");
  private static final Map<String, Object> SERVER_SELECTOR =
      Map.of("app.kubernetes.io/name", "abstractions", "app.kubernetes.io/instance", Chart.RELEASE);
  private static final Map<String, Object> TEST_SELECTOR =
      Map.of("app.kubernetes.io/name", "abstractions-test", "app.kubernetes.io/instance", Chart.RELEASE);

  @Test
  void lintPassesInStrictMode() {
    LintResult lint = Chart.helm().lint().strict().call();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).containsExactly("[INFO] Chart.yaml: icon is recommended");
  }

  @Test
  void durableStoreIsTheDefault() {
    Manifests manifests = Chart.render(Map.of());
    assertThat(manifests.kinds()).containsExactlyInAnyOrder(
        "ServiceAccount/demo-abstractions",
        "ConfigMap/demo-abstractions",
        "Service/demo-abstractions-headless",
        "Service/demo-abstractions",
        "StatefulSet/demo-abstractions",
        "Pod/demo-abstractions-test-health");
    assertThat(manifests.configMapData())
        .containsEntry("ABSTRACTIONS_STORE", "durable")
        .containsEntry("ABSTRACTIONS_DATA_DIR", "/var/lib/abstractions");
    assertThat(manifests.statefulSetSpec()).containsEntry("replicas", 1).containsKey("volumeClaimTemplates");
  }

  @Test
  void threeReplicasAreOneRaftGroupNamedByTheirPods() {
    Manifests manifests = Chart.render(Map.of("replicaCount", "3"));
    assertThat(manifests.statefulSetSpec()).containsEntry("replicas", 3).containsEntry("podManagementPolicy", "Parallel");
    List<Object> env = list(manifests.container().get("env"));
    assertThat(env).contains(
        Map.of("name", "ABSTRACTIONS_NODE_ID", "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "metadata.name"))),
        Map.of("name", "ABSTRACTIONS_PEERS", "value",
            "demo-abstractions-0=demo-abstractions-0.demo-abstractions-headless.shop.svc:8990,"
                + "demo-abstractions-1=demo-abstractions-1.demo-abstractions-headless.shop.svc:8990,"
                + "demo-abstractions-2=demo-abstractions-2.demo-abstractions-headless.shop.svc:8990"));
    assertThat(list(manifests.container().get("ports")))
        .contains(Map.of("name", "raft", "containerPort", 8990, "protocol", "TCP"));
    Map<String, Object> headless = manifests.get("Service", "demo-abstractions-headless");
    assertThat(map(headless.get("spec"))).containsEntry("publishNotReadyAddresses", true);
    assertThat(list(map(headless.get("spec")).get("ports")))
        .contains(Map.of("name", "raft", "port", 8990, "targetPort", "raft", "protocol", "TCP"));
    // A drain never takes the majority: 2 of 3 stay.
    assertThat(map(manifests.get("PodDisruptionBudget", "demo-abstractions").get("spec")))
        .containsEntry("minAvailable", 2).doesNotContainKey("maxUnavailable");
  }

  @Test
  void aSingleServerHasNoPeers() {
    Manifests manifests = Chart.render(Map.of());
    assertThat(list(manifests.container().get("env"))).noneMatch(entry -> String.valueOf(entry).contains("PEERS"));
    assertThat(manifests.find("PodDisruptionBudget", "demo-abstractions")).isEmpty();
  }

  @Test
  void aReplicatedGroupNeedsTheDurableStore() {
    assertThatThrownBy(() -> Chart.render(Map.of("replicaCount", "3", "store", "memory")))
        .hasMessageContaining("replicaCount 3 or 5 is a replicated group: it needs store: durable");
  }

  @Test
  void memoryStoreHasNoDataVolume() {
    Manifests manifests = Chart.render(Map.of("store", "memory"));
    Map<String, Object> data = manifests.configMapData();
    assertThat(data).containsEntry("ABSTRACTIONS_STORE", "memory").doesNotContainKey("ABSTRACTIONS_DATA_DIR");
    assertThat(manifests.statefulSetSpec()).containsEntry("replicas", 1).doesNotContainKey("volumeClaimTemplates");
    assertThat(list(manifests.container().get("volumeMounts"))).containsExactly(TMP_MOUNT);
    assertThat(list(manifests.podSpec().get("volumes"))).containsExactly(Map.of("name", "tmp", "emptyDir", Map.of()));
  }

  @Test
  void defaultSettingsAreTheServersOwnAsEnvironmentVariables() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("ABSTRACTIONS_PORT", "8980");
    expected.put("ABSTRACTIONS_METRICS_PORT", "9464");
    expected.put("ABSTRACTIONS_STORE", "durable");
    expected.put("ABSTRACTIONS_DATA_DIR", "/var/lib/abstractions");
    expected.put("ABSTRACTIONS_EVENT_RETENTION", "100000");
    expected.put("ABSTRACTIONS_EVENT_RETENTION_AGE", "PT1H");
    expected.put("ABSTRACTIONS_GATE_LEASE", "PT5S");
    expected.put("ABSTRACTIONS_HISTORY_LIMIT", "100");
    expected.put("ABSTRACTIONS_KEEPALIVE_TIME", "PT2H");
    expected.put("ABSTRACTIONS_LOG_SEGMENT_BYTES", "33554432");
    expected.put("ABSTRACTIONS_MAX_CALLS_PER_CONNECTION", "1000");
    expected.put("ABSTRACTIONS_MAX_CLIENT_SHARE", "1");
    expected.put("ABSTRACTIONS_MAX_ENTITY_BYTES", "262144");
    expected.put("ABSTRACTIONS_MAX_MEMORY", "0");
    expected.put("ABSTRACTIONS_MAX_MESSAGE_BYTES", "4194304");
    expected.put("ABSTRACTIONS_MAX_OPERATIONS_PER_TARGET", "1000");
    expected.put("ABSTRACTIONS_MAX_STREAM_RESETS", "200");
    expected.put("ABSTRACTIONS_MAX_SUBSCRIBERS", "1000");
    expected.put("ABSTRACTIONS_MAX_TREE_BYTES", "67108864");
    expected.put("ABSTRACTIONS_MAX_TREE_MEMBERS", "10000");
    expected.put("ABSTRACTIONS_MIN_FREE_DISK", "268435456");
    expected.put("ABSTRACTIONS_OPERATION_RETENTION", "10000");
    expected.put("ABSTRACTIONS_OPERATION_RETENTION_AGE", "PT5M");
    expected.put("ABSTRACTIONS_PERMIT_KEEPALIVE_TIME", "PT20S");
    expected.put("ABSTRACTIONS_PROGRESS_INTERVAL", "PT1S");
    expected.put("ABSTRACTIONS_REQUEST_RETENTION", "10000");
    expected.put("ABSTRACTIONS_REQUEST_RETENTION_AGE", "PT10M");
    expected.put("ABSTRACTIONS_SHUTDOWN_GRACE", "PT10S");
    expected.put("ABSTRACTIONS_SNAPSHOT_EVERY", "10000");
    expected.put("ABSTRACTIONS_STREAM_RESET_WINDOW", "PT10S");
    expected.put("ABSTRACTIONS_LOG_FORMAT", "json");
    expected.put("ABSTRACTIONS_LOG_LEVEL", "INFO");
    assertThat(Chart.render(Map.of()).configMapData()).containsExactlyEntriesOf(expected);
  }

  @Test
  void numbersKeepTheirDigitsAndFractionsTheirPoint() {
    Map<String, Object> data = Chart.render(Map.of("config.maxMemory", "2147483648"),
        "config:\n  maxClientShare: 0.25\n").configMapData();
    assertThat(data).containsEntry("ABSTRACTIONS_MAX_MEMORY", "2147483648").containsEntry("ABSTRACTIONS_MAX_CLIENT_SHARE", "0.25");
  }

  @Test
  void durableStoreMountsItsClaimAtTheDataDirectory() {
    Manifests manifests = Chart.render(Map.of(
        "store", "durable", "persistence.size", "20Gi", "persistence.storageClass", "fast-ssd"));
    assertThat(manifests.configMapData())
        .containsEntry("ABSTRACTIONS_STORE", "durable")
        .containsEntry("ABSTRACTIONS_DATA_DIR", "/var/lib/abstractions");
    assertThat(list(manifests.container().get("volumeMounts"))).containsExactly(TMP_MOUNT, DATA_MOUNT);
    assertThat(list(manifests.podSpec().get("volumes"))).containsExactly(Map.of("name", "tmp", "emptyDir", Map.of()));
    assertThat(list(manifests.statefulSetSpec().get("volumeClaimTemplates"))).containsExactly(Map.of(
        "metadata", Map.of("name", "data", "labels", SERVER_SELECTOR),
        "spec", Map.of(
            "accessModes", List.of("ReadWriteOnce"),
            "storageClassName", "fast-ssd",
            "resources", Map.of("requests", Map.of("storage", "20Gi")))));
  }

  @Test
  void tlsMountsTheSecretPointsTheServerAtItAndProbesTcp() {
    Manifests manifests = Chart.render(Map.of(
        "tls.existingSecret", "server-tls", "tls.certKey", "chain.pem", "tls.clientCa.existingSecret", "clients-ca"));
    assertThat(manifests.configMapData())
        .containsEntry("ABSTRACTIONS_TLS_CERT", "/etc/abstractions/tls/tls.crt")
        .containsEntry("ABSTRACTIONS_TLS_KEY", "/etc/abstractions/tls/tls.key")
        .containsEntry("ABSTRACTIONS_TLS_CLIENT_CA", "/etc/abstractions/tls-client-ca/ca.crt");
    assertThat(list(manifests.container().get("volumeMounts"))).containsExactly(TMP_MOUNT, DATA_MOUNT,
        Map.of("name", "tls", "mountPath", "/etc/abstractions/tls", "readOnly", true),
        Map.of("name", "tls-client-ca", "mountPath", "/etc/abstractions/tls-client-ca", "readOnly", true));
    assertThat(list(manifests.podSpec().get("volumes"))).containsExactly(
        Map.of("name", "tmp", "emptyDir", Map.of()),
        Map.of("name", "tls", "secret", Map.of("secretName", "server-tls", "defaultMode", 288, "items", List.of(
            Map.of("key", "chain.pem", "path", "tls.crt"), Map.of("key", "tls.key", "path", "tls.key")))),
        Map.of("name", "tls-client-ca", "secret", Map.of("secretName", "clients-ca", "defaultMode", 288, "items",
            List.of(Map.of("key", "ca.crt", "path", "ca.crt")))));
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(map(manifests.container().get(probe))).as(probe)
          .containsEntry("tcpSocket", Map.of("port", "grpc")).doesNotContainKey("grpc");
    }
    assertThat(manifests.find("Pod", "demo-abstractions-test-health"))
        .as("no test pod: it has no client certificate the server would accept").isEmpty();
  }

  @Test
  void plaintextProbesCallTheGrpcHealthService() {
    Map<String, Object> container = Chart.render(Map.of("ports.grpc", "9000")).container();
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(map(container.get(probe))).as(probe).containsEntry("grpc", Map.of("port", 9000));
    }
  }

  @Test
  void tokensFileIsMountedWhereTheServerReadsIt() {
    Manifests manifests = Chart.render(Map.of("auth.existingSecret", "api-tokens", "auth.key", "tokens.txt"));
    assertThat(manifests.configMapData()).containsEntry("ABSTRACTIONS_AUTH_TOKENS_FILE", "/etc/abstractions/auth/tokens");
    assertThat(list(manifests.container().get("volumeMounts")))
        .contains(Map.of("name", "auth", "mountPath", "/etc/abstractions/auth", "readOnly", true));
    assertThat(list(manifests.podSpec().get("volumes"))).contains(Map.of("name", "auth", "secret", Map.of(
        "secretName", "api-tokens", "defaultMode", 288, "items", List.of(Map.of("key", "tokens.txt", "path", "tokens")))));
  }

  @Test
  void helmTestAsksTheHealthServiceThroughTheClientService() {
    Map<String, Object> pod = Chart.render(Map.of()).get("Pod", "demo-abstractions-test-health");
    assertThat(map(pod.get("metadata")))
        .containsEntry("labels", TEST_SELECTOR)
        .containsEntry("annotations", Map.of(Chart.UNHOOKED + "helm.sh/hook", "test",
            Chart.UNHOOKED + "helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded"));
    Map<String, Object> container = map(list(at(pod, "spec.containers")).get(0));
    assertThat(container)
        .containsEntry("image", "abstractions-server:0.1.0")
        .containsEntry("command", List.of("grpc_health_probe", "-addr=demo-abstractions:8980",
            "-connect-timeout=10s", "-rpc-timeout=10s"));
    assertThat(at(pod, "spec.restartPolicy")).isEqualTo("Never");
  }

  @Test
  void helmTestWithMutualTlsPresentsTheGivenClientCertificate() {
    Map<String, Object> pod = Chart.render(Map.of("tls.existingSecret", "server-tls",
        "tls.clientCa.existingSecret", "clients-ca", "tests.clientCertSecret", "probe-client"))
        .get("Pod", "demo-abstractions-test-health");
    Map<String, Object> container = map(list(at(pod, "spec.containers")).get(0));
    assertThat(container.get("command")).isEqualTo(List.of("grpc_health_probe", "-addr=demo-abstractions:8980",
        "-connect-timeout=10s", "-rpc-timeout=10s", "-tls", "-tls-no-verify",
        "-tls-client-cert=/etc/abstractions/test-client/tls.crt",
        "-tls-client-key=/etc/abstractions/test-client/tls.key"));
    assertThat(list(at(pod, "spec.volumes"))).containsExactly(
        Map.of("name", "test-client", "secret", Map.of("secretName", "probe-client", "defaultMode", 288)));
  }

  @Test
  void podsRunAsTheirOwnServiceAccountWithoutAToken() {
    Manifests manifests = Chart.render(Map.of("serviceAccount.annotations.team", "storage"));
    Map<String, Object> account = manifests.get("ServiceAccount", Chart.FULLNAME);
    assertThat(account).containsEntry("automountServiceAccountToken", false);
    assertThat(map(account.get("metadata"))).containsEntry("annotations", Map.of("team", "storage"));
    assertThat(manifests.podSpec())
        .containsEntry("serviceAccountName", Chart.FULLNAME)
        .containsEntry("automountServiceAccountToken", false);

    Manifests existing = Chart.render(Map.of("serviceAccount.create", "false", "serviceAccount.name", "shared"));
    assertThat(existing.find("ServiceAccount", Chart.FULLNAME)).isEmpty();
    assertThat(existing.podSpec()).containsEntry("serviceAccountName", "shared");
    assertThat(Chart.render(Map.of("serviceAccount.create", "false")).podSpec())
        .containsEntry("serviceAccountName", "default");
  }

  @Test
  void networkPolicyAdmitsTheListedPeersAndTheTestPodToEachPort() {
    Map<String, Object> policy = Chart.render(Map.of(
        "networkPolicy.enabled", "true",
        "networkPolicy.grpcFrom[0].namespaceSelector.matchLabels.team", "shop",
        "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring"))
        .get("NetworkPolicy", Chart.FULLNAME);
    assertThat(policy.get("spec")).isEqualTo(Map.of(
        "podSelector", Map.of("matchLabels", SERVER_SELECTOR),
        "policyTypes", List.of("Ingress"),
        "ingress", List.of(
            Map.of("ports", List.of(Map.of("port", 8980, "protocol", "TCP")),
                "from", List.of(
                    Map.of("namespaceSelector", Map.of("matchLabels", Map.of("team", "shop"))),
                    Map.of("podSelector", Map.of("matchLabels", TEST_SELECTOR)))),
            Map.of("ports", List.of(Map.of("port", 9464, "protocol", "TCP")),
                "from", List.of(Map.of("namespaceSelector", Map.of("matchLabels", Map.of("name", "monitoring"))))))));
    assertThat(Chart.render(Map.of()).find("NetworkPolicy", Chart.FULLNAME)).isEmpty();
  }

  @Test
  void monitoringResourcesFollowTheirToggles() {
    Manifests off = Chart.render(Map.of());
    assertThat(off.find("ServiceMonitor", Chart.FULLNAME)).isEmpty();
    assertThat(off.find("PrometheusRule", Chart.FULLNAME)).isEmpty();
    assertThat(off.find("ConfigMap", Chart.FULLNAME + "-dashboard")).isEmpty();

    Manifests on = Chart.render(Map.of("serviceMonitor.enabled", "true", "serviceMonitor.labels.release", "prom",
        "prometheusRule.enabled", "true", "prometheusRule.labels.release", "prom",
        "grafanaDashboard.enabled", "true", "grafanaDashboard.annotations.grafana_folder", "Storage"));
    Map<String, Object> monitor = on.get("ServiceMonitor", Chart.FULLNAME);
    assertThat(map(at(monitor, "metadata.labels"))).containsEntry("release", "prom");
    assertThat(monitor.get("spec")).isEqualTo(Map.of(
        "selector", Map.of("matchLabels", SERVER_SELECTOR),
        "endpoints", List.of(Map.of("port", "metrics", "path", "/metrics", "scheme", "http",
            "interval", "30s", "scrapeTimeout", "10s"))));
    assertThat(map(at(on.get("PrometheusRule", Chart.FULLNAME), "metadata.labels"))).containsEntry("release", "prom");
    Map<String, Object> dashboard = on.get("ConfigMap", Chart.FULLNAME + "-dashboard");
    assertThat(map(at(dashboard, "metadata.labels"))).containsEntry("grafana_dashboard", "1");
    assertThat(at(dashboard, "metadata.annotations")).isEqualTo(Map.of("grafana_folder", "Storage"));
    assertThat(map(dashboard.get("data"))).containsOnlyKeys("abstractions.json");
  }

  @Test
  void alertThresholdsComeFromValues() {
    Map<String, Object> rule = Chart.render(Map.of("prometheusRule.enabled", "true"), "prometheusRule:\n  errorRatio: 0.01\n")
        .get("PrometheusRule", Chart.FULLNAME);
    Map<String, Object> highErrors = list(map(list(at(rule, "spec.groups")).get(0)).get("rules")).stream()
        .map(Manifests::map)
        .filter(r -> "AbstractionsHighErrorRate".equals(r.get("alert")))
        .findFirst().orElseThrow();
    assertThat((String) highErrors.get("expr")).endsWith("\n  > 0.01");
  }

  @Test
  void schemaRefusesValuesTheServerWouldNotAccept() {
    assertRefused(Map.of("ports.grpc", "abc"), "ports/grpc");
    assertRefused(Map.of("ports.metrics", "70000"), "ports/metrics");
    assertRefused(Map.of("replicaCount", "2"), "replicaCount");
    assertRefused(Map.of("store", "cluster"), "store");
    assertRefused(Map.of("persistence.enabled", "true"), "persistence");
    assertRefused(Map.of("config.historyLimit", "0"), "config/historyLimit");
    assertRefused(Map.of("config.shutdownGrace", "10s"), "config/shutdownGrace");
    assertThatThrownBy(() -> Chart.render(Map.of(), "config:\n  maxClientShare: 1.5\n"))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("config/maxClientShare");
    assertRefused(Map.of("config.dataDir", "/data"), "config");
    assertRefused(Map.of("logging.format", "JSON"), "logging/format");
  }

  private static void assertRefused(Map<String, String> sets, String path) {
    assertThatThrownBy(() -> Chart.render(sets))
        .as(Chart.describe(sets))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(path);
  }
}
