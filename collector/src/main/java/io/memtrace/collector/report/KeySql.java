package io.memtrace.collector.report;

/** SQL shared by the key analytics: one row per key access, and per-key totals, over the typed columns of {@link SpanTable}. */
final class KeySql {

  private KeySql() {
  }

  /** CTEs {@code ops} and {@code keyed}: one row per access of the layer, with its kind. */
  static String accessCtes(Layer layer, String from, String since) {
    String op = "upper(coalesce(memory_operation, db_operation_name))";
    return "WITH ops AS (SELECT memory_key AS key, coalesce(memory_namespace, '') AS namespace, " + op + " AS op, "
        + "memory_ttl AS ttl, memory_value_size AS size, start_time "
        + "FROM " + from + " WHERE memory_key IS NOT NULL AND " + layer.predicate + since + "), "
        // a search's key is a pattern, not a key
        + "keyed AS (SELECT *, " + KeyOperations.sqlCase("op") + " AS kind FROM ops WHERE op IS DISTINCT FROM 'SEARCH')";
  }

  /** {@link #accessCtes} and {@code keys}: totals per key. */
  static String keyCtes(Layer layer, String from, String since) {
    return accessCtes(layer, from, since) + ", keys AS (SELECT key, any_value(namespace) AS namespace, count(*) AS accesses, "
        + "count(*) FILTER (WHERE kind = 'read') AS reads, count(*) FILTER (WHERE kind = 'write') AS writes, "
        + "count(*) FILTER (WHERE kind = 'delete') AS deletes, coalesce(bool_or(ttl > 0), false) AS has_ttl, "
        + "max(size) FILTER (WHERE kind = 'write') AS last_size, max(start_time) AS last_seen FROM keyed GROUP BY key) ";
  }

  /** The spans of one layer: memory-manager operations or Redis commands. */
  static String layerSpans(Layer layer, String from, String since) {
    return "FROM " + from + " WHERE " + layer.predicate + since;
  }

  static String operation() {
    return "coalesce(memory_operation, db_operation_name, name)";
  }
}
