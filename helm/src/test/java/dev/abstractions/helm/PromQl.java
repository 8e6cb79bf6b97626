package dev.abstractions.helm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PromQL expression reads, found lexically (there is no PromQL parser on Maven Central and
 * promtool is not installable here): the series it selects with the label names its matchers
 * use, the label names it groups by, and whether its brackets balance. Enough to catch a metric
 * or label name that the server does not expose, which is what breaks a dashboard or an alert
 * silently; not a grammar check. Stateless.
 */
final class PromQl {

  /** A selector: a name, then optionally its matchers in braces. */
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)}");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan");

  private PromQl() {}

  /** Series names with the matchers each selector puts on them (label to its values), in order. */
  static List<Selector> selectors(String expression) {
    List<Selector> selectors = new ArrayList<>();
    // Matchers first, and removed, so that their label names and values are not read as series names.
    StringBuilder rest = new StringBuilder();
    Matcher selector = SELECTOR.matcher(expression);
    while (selector.find()) {
      Map<String, String> matchers = new LinkedHashMap<>();
      Matcher matcher = MATCHER.matcher(selector.group(2));
      while (matcher.find()) {
        matchers.put(matcher.group(1), matcher.group(3));
      }
      selectors.add(new Selector(selector.group(1), matchers));
      selector.appendReplacement(rest, " ");
    }
    selector.appendTail(rest);
    String bare = GROUPING.matcher(rest).replaceAll(" ")
        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
        .replaceAll("\\[[^]]*]", " ");
    Matcher identifier = IDENTIFIER.matcher(bare);
    while (identifier.find()) {
      String name = identifier.group();
      boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
      boolean number = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
      if (!function && !number && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        selectors.add(new Selector(name, Map.of()));
      }
    }
    return selectors;
  }

  /** The label names of every by/without/on/ignoring/group_* clause. */
  static List<String> groupingLabels(String expression) {
    List<String> labels = new ArrayList<>();
    Matcher grouping = GROUPING.matcher(expression);
    while (grouping.find()) {
      for (String label : grouping.group(2).split(",")) {
        if (!label.isBlank()) {
          labels.add(label.strip());
        }
      }
    }
    return labels;
  }

  /** Whether (), [] and {} nest properly outside string literals. */
  static boolean balanced(String expression) {
    String code = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    StringBuilder open = new StringBuilder();
    for (char c : code.toCharArray()) {
      switch (c) {
        case '(', '[', '{' -> open.append(c);
        case ')', ']', '}' -> {
          char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
          if (open.isEmpty() || open.charAt(open.length() - 1) != expected) {
            return false;
          }
          open.setLength(open.length() - 1);
        }
        default -> { }
      }
    }
    return open.isEmpty();
  }

  /** A series name (null for a bare {@code {...}} selector) and its matchers, label to value. */
  record Selector(String name, Map<String, String> matchers) {}
}
