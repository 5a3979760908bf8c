package io.memtrace.deploy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The metric and label names a PromQL expression refers to, found by a small lexer: functions and
 * aggregations (an identifier before {@code (}), keywords, numbers, durations, strings, range
 * selectors and Grafana variables ({@code $job}, {@code $__rate_interval}) are skipped; what is left
 * are metric names. Label names come from matchers ({@code {memory_system="app"}}, kept per metric)
 * and from {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and
 * {@code group_right} lists.
 */
public final class PromQl {

  /**
   * What one expression names.
   *
   * @param metrics metric names, in order of appearance
   * @param matcherLabels per metric name, the label names its matchers use ({@code ""} for a selector without a name)
   * @param groupingLabels label names in grouping and matching clauses
   */
  public record Names(Set<String> metrics, Map<String, Set<String>> matcherLabels, Set<String> groupingLabels) {
  }

  private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right");
  private static final Set<String> KEYWORDS = Set.of("bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");
  private static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "min", "max", "count", "stddev", "stdvar",
      "topk", "bottomk", "quantile", "count_values", "group", "limitk", "limit_ratio");

  private final String src;
  private int pos;
  private final Set<String> metrics = new LinkedHashSet<>();
  private final Map<String, Set<String>> matcherLabels = new LinkedHashMap<>();
  private final Set<String> groupingLabels = new LinkedHashSet<>();

  private PromQl(String src) {
    this.src = src;
  }

  /** The names in {@code expr}; throws {@link IllegalArgumentException} on an unterminated string, bracket or brace. */
  public static Names names(String expr) {
    PromQl lexer = new PromQl(expr);
    lexer.scan();
    return new Names(Collections.unmodifiableSet(lexer.metrics), Collections.unmodifiableMap(lexer.matcherLabels),
        Collections.unmodifiableSet(lexer.groupingLabels));
  }

  private void scan() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        skipComment();
      } else if (c == '"' || c == '\'' || c == '`') {
        skipString();
      } else if (c == '[') {
        skipPast(']');
      } else if (c == '{') {
        matchers("");
      } else if (c == '$') {
        skipVariable();
      } else if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
        skipNumber();
      } else if (isIdentifierStart(c)) {
        identifier();
      } else {
        pos++;
      }
    }
  }

  private void identifier() {
    String name = readIdentifier();
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    char next = peekNonSpace();
    if (LABEL_LIST_KEYWORDS.contains(lower)) {
      if (next == '(') {
        labelList();
      }
      return;
    }
    if (KEYWORDS.contains(lower) || next == '(') {
      return;
    }
    if (AGGREGATIONS.contains(lower) && nextWordIsGroupingKeyword()) {
      return;
    }
    metrics.add(name);
    if (next == '{') {
      skipSpace();
      matchers(name);
    }
  }

  /** {@code {label op "value", ...}}; the label names are recorded for {@code metric}. */
  private void matchers(String metric) {
    pos++; // {
    Set<String> labels = matcherLabels.computeIfAbsent(metric, k -> new LinkedHashSet<>());
    while (true) {
      skipSpace();
      if (pos >= src.length()) {
        throw new IllegalArgumentException("unterminated label matchers in: " + src);
      }
      char c = src.charAt(pos);
      if (c == '}') {
        pos++;
        return;
      }
      if (c == ',') {
        pos++;
      } else if (c == '"' || c == '\'' || c == '`') {
        skipString();
      } else if (isIdentifierStart(c)) {
        labels.add(readIdentifier());
      } else {
        pos++; // = != =~ !~
      }
    }
  }

  private void labelList() {
    skipSpace();
    pos++; // (
    while (true) {
      skipSpace();
      if (pos >= src.length()) {
        throw new IllegalArgumentException("unterminated label list in: " + src);
      }
      char c = src.charAt(pos);
      if (c == ')') {
        pos++;
        return;
      }
      if (isIdentifierStart(c)) {
        groupingLabels.add(readIdentifier());
      } else {
        pos++;
      }
    }
  }

  private boolean nextWordIsGroupingKeyword() {
    int save = pos;
    skipSpace();
    boolean grouping = false;
    if (pos < src.length() && isIdentifierStart(src.charAt(pos))) {
      String word = readIdentifier().toLowerCase(java.util.Locale.ROOT);
      grouping = word.equals("by") || word.equals("without");
    }
    pos = save;
    return grouping;
  }

  private String readIdentifier() {
    int start = pos;
    while (pos < src.length() && isIdentifierPart(src.charAt(pos))) {
      pos++;
    }
    return src.substring(start, pos);
  }

  private void skipString() {
    char quote = src.charAt(pos++);
    while (pos < src.length()) {
      char c = src.charAt(pos++);
      if (c == '\\' && quote != '`') {
        pos++;
      } else if (c == quote) {
        return;
      }
    }
    throw new IllegalArgumentException("unterminated string in: " + src);
  }

  private void skipPast(char close) {
    int end = src.indexOf(close, pos);
    if (end < 0) {
      throw new IllegalArgumentException("missing '" + close + "' in: " + src);
    }
    pos = end + 1;
  }

  private void skipComment() {
    int end = src.indexOf('\n', pos);
    pos = end < 0 ? src.length() : end + 1;
  }

  /** {@code $name} or {@code ${name}}: Grafana fills it in before Prometheus sees the query. */
  private void skipVariable() {
    pos++;
    if (pos < src.length() && src.charAt(pos) == '{') {
      skipPast('}');
    } else {
      readIdentifier();
    }
  }

  /** Numbers and durations: 0.95, 1048576, 1e3, 0x1f, 5m, 1h30m. */
  private void skipNumber() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '.' || c == '_') {
        pos++;
      } else if ((c == '+' || c == '-') && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E')
          && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
        pos++;
      } else {
        return;
      }
    }
  }

  private char peekNonSpace() {
    int i = pos;
    while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
      i++;
    }
    return i < src.length() ? src.charAt(i) : '\0';
  }

  private void skipSpace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || (c >= '0' && c <= '9');
  }
}
