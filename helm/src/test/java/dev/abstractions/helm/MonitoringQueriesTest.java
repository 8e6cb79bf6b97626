package dev.abstractions.helm;

import static dev.abstractions.helm.Manifests.list;
import static dev.abstractions.helm.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Gson;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonReader;
import io.grpc.Status;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the alert rules the chart ships query only series, labels and status
 * code names that a live server exposes on /metrics, in expressions whose brackets balance; the
 * dashboard is strict JSON.
 */
class MonitoringQueriesTest {

  /**
   * Labels Prometheus adds to every series it scrapes (the Prometheus Operator adds the Kubernetes
   * ones), so a query may match on them although /metrics does not carry them.
   */
  private static final Set<String> TARGET_LABELS =
      Set.of("job", "instance", "namespace", "pod", "service", "container", "endpoint");
  /** The series Prometheus writes for every scrape target (1 when the scrape succeeded). */
  private static final String UP = "up";
  /** Grafana's variables, as a query would see them once substituted. */
  private static final Map<String, String> GRAFANA_VARIABLES =
      Map.of("$__rate_interval", "1m", "$namespace", ".*", "$job", ".*", "$instance", ".*");

  private static Map<String, Set<String>> live;
  private static Map<String, String> alerts;
  private static JsonObject dashboard;

  @BeforeAll
  static void scrapeALiveServerAndRenderTheMonitoring() throws Exception {
    live = LiveMetrics.scrape();
    Manifests manifests = Chart.render(Map.of("prometheusRule.enabled", "true", "grafanaDashboard.enabled", "true"));
    alerts = new LinkedHashMap<>();
    for (Object group : list(Manifests.at(manifests.get("PrometheusRule", Chart.FULLNAME), "spec.groups"))) {
      for (Object rule : list(map(group).get("rules"))) {
        alerts.put((String) map(rule).get("alert"), (String) map(rule).get("expr"));
      }
    }
    String json = (String) map(manifests.get("ConfigMap", Chart.FULLNAME + "-dashboard").get("data")).get("abstractions.json");
    dashboard = strictJson(json).getAsJsonObject();
  }

  @Test
  void theDashboardConfigMapCarriesTheShippedJsonUnchanged() throws IOException {
    assertThat(strictJson(Chart.read(Chart.DIRECTORY.resolve("dashboards/abstractions.json")))).isEqualTo(dashboard);
    assertThat(dashboard.get("uid").getAsString()).isEqualTo("abstractions-server");
  }

  @Test
  void theAlertsAreTheDocumentedOnes() {
    assertThat(alerts.keySet()).containsExactly("AbstractionsDown", "AbstractionsHighErrorRate", "AbstractionsSlowCalls",
        "AbstractionsMemoryBudgetNearlyFull", "AbstractionsRequestsRefused");
    assertThat(alerts.get("AbstractionsDown")).isEqualTo("up{namespace=\"shop\",job=\"demo-abstractions\"} == 0");
  }

  @Test
  void alertsQueryOnlyWhatALiveServerExposes() {
    alerts.forEach((alert, expression) -> assertQueriesLiveSeries(alert, expression));
  }

  @Test
  void everyAlertSelectsThisReleasesSeriesOnly() {
    alerts.forEach((alert, expression) -> assertThat(PromQl.selectors(expression))
        .as("%s: every selector names the release's namespace and job", alert)
        .allSatisfy(selector -> assertThat(selector.matchers())
            .containsEntry("namespace", Chart.NAMESPACE)
            .containsEntry("job", Chart.FULLNAME)));
  }

  @Test
  void dashboardPanelsAndVariablesQueryOnlyWhatALiveServerExposes() {
    Map<String, String> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
    queries.forEach(this::assertQueriesLiveSeries);
  }

  @Test
  void theLexicalCheckCatchesWhatItClaimsTo() {
    // A misspelled series, an unknown label, a go-grpc-prometheus code spelling and an open bracket.
    assertThat(problems("x", "sum(rate(grpc_server_handeld_total[5m]))")).containsExactly(
        "x: series grpc_server_handeld_total is not on /metrics");
    assertThat(problems("x", "sum by (method) (rate(grpc_server_handled_total{code=\"OK\"}[5m]))")).containsExactly(
        "x: grpc_server_handled_total has no label code", "x: no series here has label method");
    assertThat(problems("x", "grpc_server_handled_total{grpc_code=~\"OK|Unavailable\"}")).containsExactly(
        "x: grpc_code value Unavailable is not a status code name");
    assertThat(problems("x", "sum(rate(grpc_server_handled_total[5m])")).containsExactly("x: brackets do not balance");
  }

  private void assertQueriesLiveSeries(String where, String expression) {
    assertThat(problems(where, expression)).as(expression).isEmpty();
  }

  /** What is wrong with {@code expression}, one line a problem; empty when nothing is. */
  private static List<String> problems(String where, String expression) {
    List<String> problems = new ArrayList<>();
    if (!PromQl.balanced(expression)) {
      problems.add(where + ": brackets do not balance");
      return problems;
    }
    Set<String> labelsHere = new TreeSet<>(TARGET_LABELS);
    labelsHere.add("le");
    List<PromQl.Selector> selectors = PromQl.selectors(expression);
    if (selectors.isEmpty()) {
      problems.add(where + ": selects no series");
    }
    for (PromQl.Selector selector : selectors) {
      if (selector.name() == null || selector.name().equals(UP)) {
        continue;
      }
      Set<String> labels = live.get(selector.name());
      if (labels == null) {
        problems.add(where + ": series " + selector.name() + " is not on /metrics");
        continue;
      }
      labelsHere.addAll(labels);
      for (Map.Entry<String, String> matcher : selector.matchers().entrySet()) {
        String label = matcher.getKey();
        if (!labels.contains(label) && !TARGET_LABELS.contains(label)) {
          problems.add(where + ": " + selector.name() + " has no label " + label);
        }
        if (label.equals("grpc_code")) {
          for (String code : matcher.getValue().split("\\|")) {
            if (Arrays.stream(Status.Code.values()).noneMatch(c -> c.name().equals(code))) {
              problems.add(where + ": grpc_code value " + code + " is not a status code name");
            }
          }
        }
      }
    }
    for (String label : PromQl.groupingLabels(expression)) {
      if (!labelsHere.contains(label)) {
        problems.add(where + ": no series here has label " + label);
      }
    }
    return problems;
  }

  /** Panel title (with the query's refId) or variable name, to the query with Grafana's variables filled in. */
  private static Map<String, String> dashboardQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonElement panel : dashboard.getAsJsonArray("panels")) {
      JsonObject object = panel.getAsJsonObject();
      if (object.has("targets")) {
        for (JsonElement target : object.getAsJsonArray("targets")) {
          queries.put(object.get("title").getAsString() + " " + target.getAsJsonObject().get("refId").getAsString(),
              substitute(target.getAsJsonObject().get("expr").getAsString()));
        }
      }
    }
    for (JsonElement variable : dashboard.getAsJsonObject("templating").getAsJsonArray("list")) {
      JsonObject object = variable.getAsJsonObject();
      if (object.get("type").getAsString().equals("query")) {
        // label_values(selector, label): the selector is a query, the label one it must carry.
        String query = object.getAsJsonObject("query").get("query").getAsString();
        assertThat(query).startsWith("label_values(").endsWith(")");
        String arguments = query.substring("label_values(".length(), query.length() - 1);
        int comma = arguments.lastIndexOf(',');
        String selector = arguments.substring(0, comma).strip();
        String label = arguments.substring(comma + 1).strip();
        queries.put("variable " + object.get("name").getAsString(),
            substitute("count by (" + label + ") (" + selector + ")"));
      }
    }
    return queries;
  }

  private static String substitute(String query) {
    String result = query;
    for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
      result = result.replace(variable.getKey(), variable.getValue());
    }
    assertThat(result).as("a Grafana variable the test does not know").doesNotContain("$");
    return result;
  }

  private static JsonElement strictJson(String text) throws IOException {
    JsonReader reader = new JsonReader(new StringReader(text));
    reader.setStrictness(Strictness.STRICT);
    JsonElement element = new Gson().getAdapter(JsonElement.class).read(reader);
    assertThat(reader.peek()).as("text after the JSON document").isEqualTo(JsonToken.END_DOCUMENT);
    return element;
  }
}
