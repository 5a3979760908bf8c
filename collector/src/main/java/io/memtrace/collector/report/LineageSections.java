package io.memtrace.collector.report;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two sections from one pass over the {@code lineage} view for the report's layer: how old the values
 * read were (p50 and p99 of {@code value_age_ms} per namespace, over the reads that found a value whose
 * writer is in the store), and the reads that found nothing although a write had happened before them
 * ({@code miss} expired or evicted), the latest ones listed. One grouping by namespace; the totals are
 * its sums (a grouping set for them cost a second aggregation over every read).
 */
final class LineageSections {

  static final List<String> MISS_COLUMNS = List.of("key", "namespace", "miss", "read_time", "written_ms_before",
      "ttl_s", "read_trace_id", "write_trace_id");

  private LineageSections() {
  }

  static List<Section> sections(SqlSource source, Layer layer, String since) {
    String where = "read_layer = '" + layer.viewName() + "'" + since.replace("start_time", "read_time");
    // a read that failed (WRONGTYPE) read no value
    String aged = "writer = 'seen' AND write_access = 'write' AND found IS DISTINCT FROM false "
        + "AND read_status_code IS DISTINCT FROM 'ERROR'";
    ResultTable all;
    try {
      all = source.query("SELECT coalesce(namespace, '(none)') AS namespace, count(*) AS reads, "
          + "count(*) FILTER (WHERE writer = 'seen') AS writer_seen, "
          + "count(*) FILTER (WHERE writer = 'not_in_store') AS writer_not_in_store, "
          + "count(*) FILTER (WHERE writer = 'compressed') AS writer_compressed, "
          + "round(quantile_cont(value_age_ms, 0.5) FILTER (WHERE " + aged + "), 3) AS age_p50_ms, "
          + "round(quantile_cont(value_age_ms, 0.99) FILTER (WHERE " + aged + "), 3) AS age_p99_ms, "
          + "count(*) FILTER (WHERE miss = 'expired') AS expired, count(*) FILTER (WHERE miss = 'evicted') AS evicted, "
          + "count(*) FILTER (WHERE miss = 'deleted') AS after_delete, "
          + "arg_max({'key': key, 'namespace': namespace, 'miss': miss, 'read_time': read_time::VARCHAR, "
          + "'written_ms_before': round(value_age_ms, 3), 'ttl_s': write_ttl, 'read_trace_id': read_trace_id, "
          + "'write_trace_id': write_trace_id}, read_time, " + ReportBuilder.LIST + ") "
          + "FILTER (WHERE miss IN ('expired', 'evicted')) AS latest "
          + "FROM lineage WHERE " + where + " GROUP BY 1 ORDER BY reads DESC, namespace");
    } catch (CollectorException e) {
      String note = Unfinished.note(e);
      return List.of(new Section("value_age", "Value age at read", note, Unfinished.EMPTY),
          new Section("misses_after_write", "Reads that found nothing after a write", note, Unfinished.EMPTY));
    }
    return List.of(valueAge(all), misses(all));
  }

  private static Section valueAge(ResultTable all) {
    List<String> names = List.of("namespace", "reads", "writer_seen", "writer_not_in_store", "writer_compressed",
        "age_p50_ms", "age_p99_ms");
    List<ResultTable.Column> columns = new ArrayList<>();
    names.forEach(n -> columns.add(all.columns().get(all.column(n))));
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < all.size() && rows.size() < ReportBuilder.LIST; i++) {
      List<Object> row = new ArrayList<>();
      for (String name : names) {
        row.add(all.value(i, name));
      }
      rows.add(row);
    }
    String note = "How long before each read its value was written (p50, p99, in ms, over reads that found a value "
        + "written by a span in the store, failed reads left out), and how many reads had that writer in the store, had none, or had one "
        + "the agent's retention may have compressed. By namespace, most reads first.";
    return new Section("value_age", "Value age at read", note, new ResultTable(columns, rows, false))
        .with("reads", sum(all, "reads")).with("writer_seen", sum(all, "writer_seen"))
        .with("writer_not_in_store", sum(all, "writer_not_in_store"))
        .with("writer_compressed", sum(all, "writer_compressed"));
  }

  private static Section misses(ResultTable all) {
    List<Map<?, ?>> latest = new ArrayList<>();
    Map<String, Long> byNamespace = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      if (all.value(i, "latest") instanceof List<?> list) {
        list.forEach(entry -> latest.add((Map<?, ?>) entry));
      }
      long n = all.number(i, "expired") + all.number(i, "evicted");
      if (n > 0) {
        byNamespace.merge(all.text(i, "namespace"), n, Long::sum);
      }
    }
    latest.sort(Comparator.comparing((Map<?, ?> m) -> String.valueOf(m.get("read_time"))).reversed());
    List<List<Object>> rows = new ArrayList<>();
    for (Map<?, ?> m : latest.subList(0, Math.min(ReportBuilder.LIST, latest.size()))) {
      List<Object> row = new ArrayList<>();
      MISS_COLUMNS.forEach(c -> row.add(m.get(c)));
      rows.add(row);
    }
    List<ResultTable.Column> types = new ArrayList<>();
    MISS_COLUMNS.forEach(c -> types.add(new ResultTable.Column(c, c.equals("written_ms_before") ? "DOUBLE"
        : c.equals("ttl_s") ? "BIGINT" : "VARCHAR")));
    long expired = sum(all, "expired");
    long evicted = sum(all, "evicted");
    String note = "Reads that found nothing although a write of the key was in the store before them: expired (its TTL "
        + "had run out) or evicted (no TTL had: evicted by Redis, or removed by a client memtrace does not trace)."
        + (expired + evicted > rows.size() ? " The latest " + rows.size() + " of " + (expired + evicted) + "." : "");
    return new Section("misses_after_write", "Reads that found nothing after a write", note,
        new ResultTable(types, rows, false)).with("expired", expired).with("evicted", evicted)
        .with("after_delete", sum(all, "after_delete")).with("by_namespace", mostFirst(byNamespace));
  }

  /** The counts per namespace, the most first, the largest {@link ReportBuilder#NAMESPACES}. */
  private static Map<String, Long> mostFirst(Map<String, Long> counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey())).limit(ReportBuilder.NAMESPACES)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  static long sum(ResultTable all, String column) {
    long n = 0;
    for (int i = 0; i < all.size(); i++) {
      n += all.number(i, column);
    }
    return n;
  }
}
