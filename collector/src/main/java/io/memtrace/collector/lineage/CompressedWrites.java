package io.memtrace.collector.lineage;

/**
 * Where the agent's retention may have hidden a write. A compressed Redis span is not exported but
 * counted, per command and namespace, in a {@code memtrace.compressed} event of the span it ran
 * under (or of an interval's summary span), so what is known of it is its command, its namespace and
 * that it ran within that span's time. Its key is not known, so a compressed write or delete makes
 * every read of its namespace that began after the span began uncertain, unless a write of the key
 * was seen after the span ended.
 *
 * <p>A command counts as a possible write when {@code redis_command_access} says write or delete
 * ({@code PIPELINE SET} and {@code MULTI INCR} as {@code SET} and {@code INCR}), or when the count
 * cannot say: a mixed {@code PIPELINE} or {@code MULTI}, or {@code _OTHER} (the agent's overflow
 * bucket). A command the overlay does not name has no keys, so it cannot write one. A namespace of
 * {@code _OTHER} stands for any namespace.
 */
final class CompressedWrites {

  private CompressedWrites() {
  }

  /**
   * CTEs {@code compressed_by_namespace (namespace, start_time, covered_until)} and
   * {@code compressed_anywhere (start_time, covered_until)}: per carrying span, in start order, the latest
   * end of any carrying span that started at or before it, so one {@code ASOF JOIN} on the read's start
   * finds how late a hidden write can have been.
   */
  static String ctes(String spans) {
    String attribute = "e->>'$.attributes.\"%s\"'";
    return "compressed_events AS (SELECT start_time, end_time, " + String.format(attribute, "memory.namespace")
        + " AS namespace, regexp_replace(upper(" + String.format(attribute, "db.operation.name")
        + "), '^(PIPELINE|MULTI) ', '') AS command FROM (SELECT start_time, end_time, "
        + "unnest(CAST(events AS JSON[])) AS e FROM " + spans + " WHERE memtrace_compressed_count IS NOT NULL) "
        + "WHERE e->>'name' = 'memtrace.compressed'), "
        + "compressed_writes AS (SELECT c.* FROM compressed_events AS c LEFT JOIN redis_command_access AS a "
        + "ON a.command = c.command WHERE a.access IN ('write', 'delete') OR c.command IN ('PIPELINE', 'MULTI', '_OTHER')), "
        + "compressed_by_namespace AS (SELECT coalesce(namespace, '') AS namespace, start_time, max(end_time) OVER "
        + "(PARTITION BY coalesce(namespace, '') ORDER BY start_time ROWS UNBOUNDED PRECEDING) AS covered_until "
        + "FROM compressed_writes WHERE namespace IS DISTINCT FROM '_OTHER'), "
        + "compressed_anywhere AS (SELECT start_time, max(end_time) OVER (ORDER BY start_time ROWS UNBOUNDED PRECEDING) "
        + "AS covered_until FROM compressed_writes WHERE namespace = '_OTHER')";
  }
}
