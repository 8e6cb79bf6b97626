package dev.abstractions.helm;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One rendering of the chart: its documents, and the paths into them the tests read. Immutable. */
record Manifests(List<Map<String, Object>> documents) {

  /** {@code Kind/name} of every document, in rendering order. */
  List<String> kinds() {
    return documents.stream().map(d -> d.get("kind") + "/" + map(d.get("metadata")).get("name")).toList();
  }

  Optional<Map<String, Object>> find(String kind, String name) {
    return documents.stream()
        .filter(d -> kind.equals(d.get("kind")) && name.equals(map(d.get("metadata")).get("name")))
        .findFirst();
  }

  Map<String, Object> get(String kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + kinds()));
  }

  Map<String, Object> configMapData() {
    return map(get("ConfigMap", Chart.FULLNAME).get("data"));
  }

  Map<String, Object> statefulSetSpec() {
    return map(get("StatefulSet", Chart.FULLNAME).get("spec"));
  }

  Map<String, Object> podSpec() {
    return map(map(statefulSetSpec().get("template")).get("spec"));
  }

  Map<String, Object> container() {
    List<Object> containers = list(podSpec().get("containers"));
    if (containers.size() != 1) {
      throw new AssertionError("the server pod has " + containers.size() + " containers");
    }
    return map(containers.get(0));
  }

  /** Follows {@code path} ("spec.template.spec") from {@code node}. */
  static Object at(Object node, String path) {
    Object current = node;
    for (String key : path.split("\\.")) {
      current = map(current).get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map)) {
      throw new AssertionError("not a mapping: " + node);
    }
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    if (!(node instanceof List)) {
      throw new AssertionError("not a list: " + node);
    }
    return (List<Object>) node;
  }
}
