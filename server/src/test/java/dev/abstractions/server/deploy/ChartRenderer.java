package dev.abstractions.server.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders the Helm chart's templates with its default values, as {@code helm template demo
 * helm/abstractions} would, for a chart that keeps to a small subset of Go templates. Helm cannot be
 * installed here; this is not a template engine but a fixed substitution table, and it fails on
 * anything outside it, so the chart cannot drift out of what the tests check.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>A line holding only control actions ({@code if}, {@code else}, {@code end}, {@code fail},
 *       comments) is dropped; so every conditional block is rendered at once and each document is
 *       the union of all options, which is what the consistency checks want. A control action
 *       sharing its line with text is refused.
 *   <li>{@code with}, {@code range}, variables, {@code define}/{@code template} and right-trimming
 *       {@code -}}} are refused.
 *   <li>Every other action must match an entry of {@link #evaluate}: a {@code .Values} path
 *       (looked up in values.yaml; a missing key fails), optionally piped through {@code int64},
 *       {@code quote} or {@code default .Chart.AppVersion}; {@code toYaml .Values.x | nindent N};
 *       {@code include} of a helper from _helpers.tpl, replaced by its fixed output for release
 *       {@value #RELEASE} ({@link #helpers}); {@code .Release.*}, {@code .Chart.*}; and the
 *       configuration checksum, replaced by a placeholder.
 *   <li>Helm reads numbers in values as floats and prints those of a million or more in
 *       e-notation (4194304 as 4.194304e+06); such a number printed without {@code int64} fails.
 *   <li>Deviation from Helm: {@code toYaml} of an empty map or list renders nothing (Helm renders
 *       {@code {}} or {@code []}); the chart guards such values with {@code if} where it matters.
 * </ul>
 *
 * <p>Not thread-safe; a test builds one and reads it.
 */
final class ChartRenderer {

  static final String RELEASE = "demo";
  static final String NAMESPACE = "default";
  static final String CONFIG_CHECKSUM = "sha256-of-the-rendered-configmap";

  private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)\\s*(.*?)\\s*(-?)}}");
  private static final Pattern VALUE =
      Pattern.compile("(\\.Values(?:\\.[A-Za-z]\\w*)+)((?: \\| (?:int64|quote|default \\.Chart\\.AppVersion))*)");
  private static final Pattern TO_YAML = Pattern.compile("toYaml (\\.Values(?:\\.[A-Za-z]\\w*)+) \\| nindent (\\d+)");
  private static final Pattern INCLUDE = Pattern.compile("include \"([\\w.]+)\" \\.(?: \\| nindent (\\d+))?");
  private static final Pattern DEFINE = Pattern.compile("\\{\\{-? *define \"([\\w.]+)\"");
  private static final long HELM_E_NOTATION_FROM = 1_000_000L;

  private final Path chartDir;
  private final Map<String, Object> chart;
  private final Map<String, Object> values;
  private final Map<String, String> helpers;

  ChartRenderer(Path chartDir) {
    this.chartDir = chartDir;
    this.chart = loadMap(chartDir.resolve("Chart.yaml"));
    this.values = loadMap(chartDir.resolve("values.yaml"));
    this.helpers = helpers();
  }

  Map<String, Object> chart() {
    return chart;
  }

  Map<String, Object> values() {
    return values;
  }

  /** The value at a dotted path of values.yaml; fails when a key is missing. */
  Object value(String dottedPath) {
    Object node = values;
    for (String key : dottedPath.split("\\.")) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new IllegalArgumentException("values.yaml has no " + dottedPath);
      }
      node = map.get(key);
    }
    return node;
  }

  /** Names of the helpers this renderer knows the output of. */
  Set<String> knownHelpers() {
    return new TreeSet<>(helpers.keySet());
  }

  /** Names of the helpers _helpers.tpl defines. */
  Set<String> definedHelpers() {
    Set<String> defined = new TreeSet<>();
    Matcher matcher = DEFINE.matcher(read(chartDir.resolve("templates/_helpers.tpl")));
    while (matcher.find()) {
      defined.add(matcher.group(1));
    }
    return defined;
  }

  /** Every YAML document of every template, in file-name order. */
  List<Map<String, Object>> renderManifests() {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(chartDir.resolve("templates"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String rendered = render(file);
        for (Object document : new Yaml().loadAll(rendered)) {
          if (document == null) {
            continue;
          }
          if (!(document instanceof Map<?, ?>)) {
            throw new AssertionError(file.getFileName() + " renders a document that is not a mapping:\n" + rendered);
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> manifest = (Map<String, Object>) document;
          documents.add(manifest);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  /** One template file, rendered to text. */
  String render(Path template) {
    StringBuilder out = new StringBuilder();
    String[] lines = read(template).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String where = chartDir.relativize(template) + ":" + (i + 1);
      String rendered = renderLine(lines[i], where);
      if (rendered != null) {
        out.append(rendered).append('\n');
      }
    }
    return out.toString();
  }

  /** The line rendered, or null when it holds only control actions. */
  private String renderLine(String line, String where) {
    Matcher matcher = ACTION.matcher(line);
    List<Action> actions = new ArrayList<>();
    while (matcher.find()) {
      actions.add(new Action(matcher.start(), matcher.end(), !matcher.group(1).isEmpty(), matcher.group(2),
          !matcher.group(3).isEmpty()));
    }
    if (actions.isEmpty()) {
      return line;
    }
    boolean onlyActions = ACTION.matcher(line).replaceAll("").isBlank();
    long controls = actions.stream().filter(a -> isControl(a.expression, where)).count();
    if (controls == actions.size() && onlyActions) {
      return null;
    }
    if (controls > 0) {
      throw new IllegalStateException(where + ": a control action shares its line with text: " + line);
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (Action action : actions) {
      out.append(line, from, action.start);
      if (action.trimLeft) {
        stripTrailingWhitespace(out);
      }
      if (action.trimRight) {
        throw new IllegalStateException(where + ": right-trimming -}} is outside the renderable subset");
      }
      out.append(evaluate(action.expression, where));
      from = action.end;
    }
    out.append(line.substring(from));
    return out.toString();
  }

  private static boolean isControl(String expression, String where) {
    for (String refused : List.of("with ", "range ", "define ", "template ", "block ", "$")) {
      if (expression.startsWith(refused)) {
        throw new IllegalStateException(where + ": '" + expression + "' is outside the renderable subset");
      }
    }
    return expression.startsWith("if ") || expression.equals("else") || expression.equals("end")
        || expression.startsWith("fail ") || expression.startsWith("/*");
  }

  /** The fixed mapping from the expressions the chart uses to their output. */
  private String evaluate(String expression, String where) {
    Matcher matcher;
    if ((matcher = INCLUDE.matcher(expression)).matches()) {
      String output = helpers.get(matcher.group(1));
      if (output == null) {
        throw new IllegalStateException(where + ": no known output for helper " + matcher.group(1));
      }
      return matcher.group(2) == null ? output : nindent(output, Integer.parseInt(matcher.group(2)));
    }
    if ((matcher = TO_YAML.matcher(expression)).matches()) {
      return nindent(toYaml(value(matcher.group(1).substring(".Values.".length()))), Integer.parseInt(matcher.group(2)));
    }
    if ((matcher = VALUE.matcher(expression)).matches()) {
      Object value = value(matcher.group(1).substring(".Values.".length()));
      boolean quoted = false;
      boolean integral = false;
      for (String function : matcher.group(2).split(" \\| ")) {
        switch (function.trim()) {
          case "" -> { }
          case "int64" -> integral = true;
          case "quote" -> quoted = true;
          case "default .Chart.AppVersion" -> value = isEmpty(value) ? chart.get("appVersion") : value;
          default -> throw new IllegalStateException(where + ": unknown function " + function);
        }
      }
      String text = scalar(value, integral, expression, where);
      return quoted ? '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : text;
    }
    return switch (expression) {
      case ".Release.Name" -> RELEASE;
      case ".Release.Namespace" -> NAMESPACE;
      case ".Release.Service" -> "Helm";
      case ".Chart.Name" -> chartString("name");
      case ".Chart.Version" -> chartString("version");
      case ".Chart.AppVersion" -> chartString("appVersion");
      case "include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum" -> CONFIG_CHECKSUM;
      default -> throw new IllegalStateException(where + ": no mapping for {{ " + expression + " }}");
    };
  }

  private static String scalar(Object value, boolean integral, String expression, String where) {
    if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
      throw new IllegalStateException(where + ": {{ " + expression + " }} prints a collection; use toYaml");
    }
    if (integral) {
      if (!(value instanceof Integer || value instanceof Long)) {
        throw new IllegalStateException(where + ": int64 of a non-integer in {{ " + expression + " }}: " + value);
      }
      return value.toString();
    }
    if (value instanceof Number number && Math.abs(number.doubleValue()) >= HELM_E_NOTATION_FROM) {
      throw new IllegalStateException(where + ": Helm prints " + value + " in e-notation; pipe it through int64 in {{ "
          + expression + " }}");
    }
    return value == null ? "" : value.toString();
  }

  private String chartString(String key) {
    return Objects.requireNonNull(chart.get(key), "Chart.yaml has no " + key).toString();
  }

  /**
   * The output of each _helpers.tpl helper for release {@value #RELEASE}, with nameOverride,
   * fullnameOverride and image.tag empty (HelmChartTest checks those are the defaults).
   */
  private Map<String, String> helpers() {
    String name = chartString("name");
    String fullname = RELEASE.contains(name) ? RELEASE : RELEASE + "-" + name;
    String selectorLabels = "app.kubernetes.io/name: " + name + "\napp.kubernetes.io/instance: " + RELEASE;
    Map<String, String> helpers = new LinkedHashMap<>();
    helpers.put("abstractions.name", name);
    helpers.put("abstractions.fullname", fullname);
    helpers.put("abstractions.headlessName", fullname + "-headless");
    helpers.put("abstractions.chart", name + "-" + chartString("version"));
    helpers.put("abstractions.selectorLabels", selectorLabels);
    helpers.put("abstractions.labels", "helm.sh/chart: " + name + "-" + chartString("version") + "\n"
        + selectorLabels + "\n"
        + "app.kubernetes.io/version: \"" + chartString("appVersion") + "\"\n"
        + "app.kubernetes.io/managed-by: Helm");
    return helpers;
  }

  private static String toYaml(Object value) {
    if (isEmpty(value)) {
      return "";
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(value).stripTrailing();
  }

  private static String nindent(String text, int spaces) {
    String indent = " ".repeat(spaces);
    return text.isEmpty() ? "" : "\n" + text.lines().map(l -> indent + l).collect(Collectors.joining("\n"));
  }

  private static boolean isEmpty(Object value) {
    return value == null
        || value instanceof String s && s.isEmpty()
        || value instanceof Map<?, ?> m && m.isEmpty()
        || value instanceof Collection<?> c && c.isEmpty();
  }

  private static void stripTrailingWhitespace(StringBuilder text) {
    int end = text.length();
    while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    text.setLength(end);
  }

  static Map<String, Object> loadMap(Path file) {
    Object loaded = new Yaml().load(read(file));
    if (!(loaded instanceof Map<?, ?>)) {
      throw new IllegalStateException(file + " is not a YAML mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) loaded;
    return map;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Action(int start, int end, boolean trimLeft, String expression, boolean trimRight) {}
}
