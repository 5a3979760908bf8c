package io.memtrace.collector.report;

/** SQL shared by the key analytics: one row per key access, and per-key totals, over the typed columns of {@link SpanTable} or kept ({@link KeyTotals}). */
final class KeySql {

  private KeySql() {
  }

  /** CTEs {@code ops} and {@code keyed}: one row per access of the layer, with its kind. */
  static String accessCtes(Layer layer, String from, String since) {
    String op = "upper(coalesce(memory_operation, db_operation_name))";
    return "WITH ops AS (SELECT memory_key AS key, coalesce(memory_namespace, '') AS namespace, " + op + " AS op, "
        + "memory_ttl AS ttl, coalesce(contains(memtrace_unknown, 'memory.ttl'), false) AS ttl_unknown, "
        + "memory_value_size AS size, start_time "
        + "FROM " + from + " WHERE memory_key IS NOT NULL AND " + layer.predicate + since + "), "
        // a search's key is a pattern, not a key
        + "keyed AS (SELECT *, " + KeyOperations.sqlCase("op") + " AS kind FROM ops WHERE op IS DISTINCT FROM 'SEARCH')";
  }

  /**
   * {@code keys}: the layer's totals per key and namespace ({@link KeyTotals}'s columns but the layer). Over the totals
   * kept at compaction when {@code kept} (the whole store, so never with {@code since}), else grouped from the spans,
   * after the CTEs of {@link #accessCtes}.
   */
  static String keyCtes(Layer layer, String from, String since, boolean kept) {
    if (kept) {
      return "WITH keys AS (SELECT * EXCLUDE (layer) FROM (" + KeyTotals.joined("layer = '" + layer.viewName() + "'") + ")) ";
    }
    return accessCtes(layer, from, since) + ", keys AS (SELECT key, namespace, " + KeyTotals.TOTALS
        + " FROM keyed GROUP BY key, namespace) ";
  }

  /** The spans of one layer: memory-manager operations or Redis commands. */
  static String layerSpans(Layer layer, String from, String since) {
    return "FROM " + from + " WHERE " + layer.predicate + since;
  }

  static String operation() {
    return "coalesce(memory_operation, db_operation_name, name)";
  }
}
