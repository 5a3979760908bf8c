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
 * {@code _OTHER} stands for any namespace. A count whose commands all went out as key events as well
 * ({@code memtrace.compressed.key_events}, ADR 0004) hides no write: each of them is stored as its span.
 */
final class CompressedWrites {

  private CompressedWrites() {
  }

  /**
   * The {@code memtrace.compressed} counts of {@code spans} (a relation with the span columns, whose {@code events}
   * is JSON or its text): {@code (start_time, end_time, namespace, command)} of the span that carries each, the
   * command upper case and without its {@code PIPELINE} or {@code MULTI} prefix.
   */
  static String counts(String spans) {
    String attribute = "e->>'$.attributes.\"%s\"'";
    return "SELECT start_time, end_time, " + String.format(attribute, "memory.namespace") + " AS namespace, "
        + "regexp_replace(upper(" + String.format(attribute, "db.operation.name") + "), '^(PIPELINE|MULTI) ', '') "
        + "AS command FROM (SELECT start_time, end_time, unnest(CAST(events::JSON AS JSON[])) AS e FROM " + spans
        + " WHERE memtrace_compressed_count IS NOT NULL) WHERE e->>'name' = 'memtrace.compressed'"
        // a count whose every command also went out as a key event (the agent's retention.key-events) hides none
        + " AND coalesce(TRY_CAST(" + String.format(attribute, "memtrace.compressed.key_events") + " AS BIGINT), 0) < "
        + "coalesce(TRY_CAST(" + String.format(attribute, "memtrace.compressed.count") + " AS BIGINT), 1)";
  }

  /**
   * The carrying spans of a possible write among {@code counts} (rows of {@link #counts}): {@code (start_time,
   * end_time, namespace, anywhere)}, the namespace never null, {@code anywhere} for a count under {@code _OTHER}.
   */
  static String possible(String counts) {
    return "SELECT c.start_time, c.end_time, coalesce(c.namespace, '') AS namespace, "
        + "coalesce(c.namespace = '_OTHER', false) AS anywhere "
        + "FROM " + counts + " AS c LEFT JOIN redis_command_access AS a ON a.command = c.command "
        + "WHERE a.access IN ('write', 'delete') OR c.command IN ('PIPELINE', 'MULTI', '_OTHER')";
  }

  /**
   * CTEs ending in {@code compressed_writes (namespace_hash, start_time, covered_until)}: per carrying span of a
   * possible write, in start order within its namespace, the latest end of any such span that started at or
   * before it, so one {@code ASOF JOIN} on a read's namespace and start finds how late a hidden write can
   * have been. Only the namespaces of the reads in scope are kept; a count under {@code _OTHER} is repeated for
   * each of them. The counts are {@code compressed_event_rows}' ({@link #counts}).
   */
  static String ctes(Scope scope) {
    String carriers = scope.carriers().equals("true") ? "" : " WHERE " + scope.carriers();
    return "compressed_events AS (SELECT * FROM compressed_event_rows" + carriers + "), "
        + "possible AS (" + possible("compressed_events") + "), "
        + "read_namespaces AS (SELECT DISTINCT coalesce(namespace, '') AS namespace FROM key_event_rows "
        + "WHERE layer = 'redis' AND access = 'read'" + (scope.reads().equals("true") ? "" : " AND (" + scope.reads() + ")")
        + "), "
        // one row per named namespace that reads have, and per such namespace for a count under _OTHER
        + "placed AS (SELECT namespace, start_time, end_time FROM possible WHERE NOT anywhere AND namespace IN "
        + "(SELECT namespace FROM read_namespaces) UNION ALL SELECT n.namespace, p.start_time, p.end_time "
        + "FROM possible AS p, read_namespaces AS n WHERE p.anywhere), "
        // the namespace as a hash, as the reads join on it: partitioning millions of reads on a string is the slow part
        + "compressed_writes AS (SELECT hash(namespace) AS namespace_hash, start_time, max(end_time) OVER "
        + "(PARTITION BY namespace ORDER BY start_time ROWS UNBOUNDED PRECEDING) AS covered_until FROM placed)";
  }
}
