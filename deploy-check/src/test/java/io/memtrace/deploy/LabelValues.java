package io.memtrace.deploy;

/**
 * A Grafana Prometheus variable query {@code label_values(selector, label)} or {@code label_values(label)}.
 *
 * @param selector the series selector, or null when the query names only a label
 * @param label the label whose values the variable offers
 */
record LabelValues(String selector, String label) {

  static LabelValues parse(String query) {
    String q = query.trim();
    if (!q.startsWith("label_values(") || !q.endsWith(")")) {
      throw new AssertionError("not a label_values(...) query: " + query);
    }
    String args = q.substring("label_values(".length(), q.length() - 1);
    int comma = lastTopLevelComma(args);
    if (comma < 0) {
      return new LabelValues(null, args.trim());
    }
    return new LabelValues(args.substring(0, comma).trim(), args.substring(comma + 1).trim());
  }

  private static int lastTopLevelComma(String s) {
    int depth = 0;
    boolean quoted = false;
    int last = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && (c == '{' || c == '(' || c == '[')) {
        depth++;
      } else if (!quoted && (c == '}' || c == ')' || c == ']')) {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        last = i;
      }
    }
    return last;
  }
}
