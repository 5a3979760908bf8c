package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hot keys and the three key lists from ONE relation of the layer's totals per key and namespace ({@link KeySql#keyCtes}:
 * the totals kept at compaction, or the accesses grouped): one
 * aggregate over the grouped keys picks each section's first rows ({@code arg_min(row, order, n)})
 * and counts its matching keys, in all and per namespace ({@code histogram}, cut to its largest
 * {@link ReportBuilder#NAMESPACES} as a sorted list: its whole MAP, repeated on each listed row,
 * could pass a result's byte bound with many namespaces), and only that single row is kept
 * (materialized) and unnested.
 * Grouping all keys again per section cost 0.4-0.9 s each at 10M spans, and a materialized CTE of
 * all keys (6.9M for the Redis layer) spilled past the memory budget. One statement rather than a
 * temp table, as the report also runs over a server's read-only query API.
 */
final class KeyAggregates {

  /** The key lists: section id, title, which keys. */
  static final List<String[]> LISTS = List.of(
      new String[] {"written_never_read", "Keys written and never read", "writes > 0 AND reads = 0"},
      new String[] {"read_once", "Keys read only once", "reads = 1"},
      // a key deleted after its writes no longer holds memory, TTL or not
      // and no write whose TTL a statement left out (then whether it has one is unknown)
      new String[] {"no_ttl", "Keys stored with no TTL", "writes > 0 AND NOT has_ttl AND deletes = 0 AND ttl_unknown_writes = 0"});

  /** Keys the no-TTL list leaves out because a statement hid the TTL of some write. */
  static final String TTL_UNKNOWN = "writes > 0 AND NOT has_ttl AND deletes = 0 AND ttl_unknown_writes > 0";

  /** The namespaces past the largest ones, summed. */
  static final String OTHER = "(other)";

  private final ResultTable all;

  /** @param keys the CTEs that end in {@code keys} ({@link KeySql#keyCtes}) */
  KeyAggregates(SqlSource source, String keys) {
    StringBuilder picked = new StringBuilder("arg_min({'key': key, 'namespace': namespace, 'accesses': accesses, ")
        .append("'reads': reads, 'writes': writes}, {'a': -accesses, 'k': key, 'n': namespace}, ").append(ReportBuilder.TOP).append(") AS hot");
    picked.append(", count(*) FILTER (WHERE ").append(TTL_UNKNOWN).append(") AS ttl_unknown");
    StringBuilder parts = new StringBuilder("(SELECT 'hot' AS part, unnest(hot, recursive := true) FROM picked)");
    for (int i = 0; i < LISTS.size(); i++) {
      String condition = LISTS.get(i)[2];
      picked.append(", arg_min({'key': key, 'namespace': namespace, 'reads': reads, 'writes': writes, ")
          .append("'size_bytes': largest_write, 'last_seen': last_seen::VARCHAR, 'accesses': accesses}, ")
          // the biggest values first: they are the memory worth reclaiming
          .append("{'none': largest_write IS NULL, 's': -coalesce(largest_write, 0), 'a': -accesses, 'k': key, 'n': namespace}, ")
          .append(ReportBuilder.LIST).append(") FILTER (WHERE ").append(condition).append(") AS list").append(i)
          .append(", count(*) FILTER (WHERE ").append(condition).append(") AS count").append(i)
          // sorted as {-count, namespace}: the most keys first, ties by name
          .append(", list_sort(list_transform(map_entries(histogram(namespace) FILTER (WHERE ").append(condition)
          .append(")), lambda e: {'n': -(e.value::BIGINT), 'k': e.key}))[1:").append(ReportBuilder.NAMESPACES)
          .append("] AS namespaces").append(i);
      parts.append(" UNION ALL BY NAME (SELECT '").append(LISTS.get(i)[0]).append("' AS part, unnest(list").append(i)
          .append(", recursive := true), count").append(i).append(" AS matching, namespaces").append(i)
          .append(" AS by_namespace FROM picked)");
    }
    // one row whatever the lists hold
    parts.append(" UNION ALL BY NAME (SELECT 'ttl_unknown' AS part, ttl_unknown AS matching FROM picked)");
    all = source.query(keys + ", picked AS MATERIALIZED (SELECT " + picked + " FROM keys) "
        + "SELECT * FROM (" + parts + ") "
        // each part in its own order: the terms of the other parts are NULL for it
        + "ORDER BY part, CASE WHEN part = 'hot' THEN accesses END DESC, size_bytes DESC NULLS LAST, accesses DESC, key, namespace");
  }

  /**
   * The matching keys of a list per namespace, the most first, ties by name: the largest
   * {@link ReportBuilder#NAMESPACES}, then the rest summed as {@link #OTHER}. Its sum is the count of all matching keys.
   */
  Map<String, Long> byNamespace(String list) {
    ResultTable totals = part(list, "matching", "by_namespace");
    Map<String, Long> counts = new LinkedHashMap<>();
    if (totals.size() == 0) {
      return counts;
    }
    long rest = totals.number(0, "matching");
    for (Object entry : (List<?>) totals.value(0, "by_namespace")) {
      // a Long from a local store, an Integer from the server's JSON
      long keys = -((Number) ((Map<?, ?>) entry).get("n")).longValue();
      counts.put((String) ((Map<?, ?>) entry).get("k"), keys);
      rest -= keys;
    }
    if (rest > 0) {
      counts.put(OTHER, rest);
    }
    return counts;
  }

  /** The keys {@link #TTL_UNKNOWN} holds for: written with no TTL seen, but some write's TTL hidden by a statement. */
  long ttlUnknown() {
    ResultTable row = part("ttl_unknown", "matching");
    return row.size() == 0 ? 0 : row.number(0, "matching");
  }

  /** The rows of one part, in its order, with the named columns. */
  ResultTable part(String part, String... columns) {
    List<ResultTable.Column> chosen = new ArrayList<>();
    int[] index = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      index[c] = all.column(columns[c]);
      chosen.add(all.columns().get(index[c]));
    }
    List<List<Object>> rows = new ArrayList<>();
    int partColumn = all.column("part");
    for (List<Object> row : all.rows()) {
      if (part.equals(row.get(partColumn))) {
        List<Object> values = new ArrayList<>(columns.length);
        for (int i : index) {
          values.add(row.get(i));
        }
        rows.add(values);
      }
    }
    return new ResultTable(chosen, rows, false);
  }
}
