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
   * CTEs ending in {@code compressed_writes (namespace_hash, start_time, covered_until)}: per carrying span of a
   * possible write, in start order within its namespace, the latest end of any such span that started at or
   * before it, so one {@code ASOF JOIN} on a read's namespace and start finds how late a hidden write can
   * have been. A count under {@code _OTHER} is repeated for each namespace the reads in scope have.
   */
  static String ctes(String spans, Scope scope) {
    String attribute = "e->>'$.attributes.\"%s\"'";
    String carriers = scope.carriers().equals("true") ? "" : " AND (" + scope.carriers() + ")";
    return "compressed_events AS (SELECT start_time, end_time, " + String.format(attribute, "memory.namespace")
        + " AS namespace, regexp_replace(upper(" + String.format(attribute, "db.operation.name")
        + "), '^(PIPELINE|MULTI) ', '') AS command FROM (SELECT start_time, end_time, "
        + "unnest(CAST(events AS JSON[])) AS e FROM " + spans + " WHERE memtrace_compressed_count IS NOT NULL" + carriers
        + ") WHERE e->>'name' = 'memtrace.compressed'), "
        + "possible AS (SELECT c.start_time, c.end_time, c.namespace, coalesce(c.namespace = '_OTHER', false) AS anywhere "
        + "FROM compressed_events AS c LEFT JOIN redis_command_access AS a ON a.command = c.command "
        + "WHERE a.access IN ('write', 'delete') OR c.command IN ('PIPELINE', 'MULTI', '_OTHER')), "
        // one row per named namespace, or per namespace of the reads for a count under _OTHER
        + "placed AS (SELECT coalesce(n.namespace, coalesce(p.namespace, '')) AS namespace, p.start_time, p.end_time "
        + "FROM possible AS p JOIN (SELECT NULL::VARCHAR AS namespace, false AS anywhere UNION ALL "
        + "SELECT DISTINCT coalesce(namespace, '') AS namespace, true AS anywhere FROM key_events "
        + "WHERE layer = 'redis' AND access = 'read'" + (scope.reads().equals("true") ? "" : " AND (" + scope.reads() + ")")
        + ") AS n ON p.anywhere = n.anywhere), "
        // the namespace as a hash, as the reads join on it: partitioning millions of reads on a string is the slow part
        + "compressed_writes AS (SELECT hash(namespace) AS namespace_hash, start_time, max(end_time) OVER "
        + "(PARTITION BY namespace ORDER BY start_time ROWS UNBOUNDED PRECEDING) AS covered_until FROM placed)";
  }
}
