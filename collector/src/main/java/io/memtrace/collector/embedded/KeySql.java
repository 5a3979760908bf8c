package io.memtrace.collector.embedded;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.report.KeyOperations;

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
        + "FROM " + from + " WHERE memory_key IS NOT NULL AND " + predicate(layer) + since + "), "
        // a search's key is a pattern, not a key
        + "keyed AS (SELECT *, " + KeyOperations.sqlCase("op") + " AS kind FROM ops WHERE op IS DISTINCT FROM 'SEARCH')";
  }

  /**
   * {@code keys}: the layer's totals per key and namespace ({@link KeyTotals}'s columns but the layer). Over the totals
   * kept at compaction when {@code kept} (the whole store, so never with {@code since}), else grouped from the spans,
   * after the CTEs of {@link #accessCtes}.
   */
  static String keyCtes(Layer layer, String from, String since, boolean kept) {
    return keyCtes(layer, from, since, kept, false);
  }

  /** @param alone whether the kept totals are the table alone (no tail to join; {@link KeyTotals#tableAlone}) */
  static String keyCtes(Layer layer, String from, String since, boolean kept, boolean alone) {
    if (kept && alone) {
      // a filter on the table's layer reaches its scan; through the view's join it would not
      return "WITH keys AS (SELECT * EXCLUDE (layer) FROM " + KeyTotals.TABLE + " WHERE layer = '" + layer.viewName() + "') ";
    }
    if (kept) {
      return "WITH keys AS (SELECT * EXCLUDE (layer) FROM (" + KeyTotals.joined("layer = '" + layer.viewName() + "'") + ")) ";
    }
    return accessCtes(layer, from, since) + ", keys AS (SELECT key, namespace, " + KeyTotals.TOTALS
        + " FROM keyed GROUP BY key, namespace) ";
  }

  /** The spans of one layer: memory-manager operations or Redis commands. */
  static String layerSpans(Layer layer, String from, String since) {
    return "FROM " + from + " WHERE " + predicate(layer) + since;
  }

  /** Which spans make {@code layer}, as a condition on the typed columns of {@link SpanTable}. */
  static String predicate(Layer layer) {
    return switch (layer) {
      case MEMORY -> "memory_operation IS NOT NULL";
      case REDIS -> "(db_system_name IS NOT NULL OR db_system IS NOT NULL)";
    };
  }

  /**
   * Memory-manager keys when there are any, else Redis keys: what the report reads by default.
   *
   * @param memorySpans what the memory layer reads ({@link SpanTable#of(Layer)})
   */
  static Layer detect(SqlSource source, String memorySpans) {
    return source.query("SELECT count(*) AS n FROM (SELECT 1 FROM " + memorySpans + " WHERE " + predicate(Layer.MEMORY)
        + " AND memory_key IS NOT NULL LIMIT 1)").number(0, "n") > 0 ? Layer.MEMORY : Layer.REDIS;
  }

  static String operation() {
    return "coalesce(memory_operation, db_operation_name, name)";
  }
}
