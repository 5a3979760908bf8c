package io.memtrace.collector.report;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two sections from one pass over the {@code lineage} view for the report's layer: how old the values
 * read were (p50 and p99 of {@code value_age_ms} per namespace, over the reads that found a value whose
 * writer is in the store), and the reads that found nothing although a write had happened before them
 * ({@code miss} expired or evicted), with the latest ones listed.
 */
final class LineageSections {

  private LineageSections() {
  }

  static List<Section> sections(SqlSource source, Layer layer, String since) {
    String where = "read_layer = '" + layer.viewName() + "'" + since.replace("start_time", "read_time");
    String aged = "writer = 'seen' AND write_access = 'write' AND found IS DISTINCT FROM false";
    String vanished = "miss IN ('expired', 'evicted')";
    ResultTable all = source.query("SELECT GROUPING(namespace) = 1 AS total, coalesce(namespace, '(none)') AS namespace, "
        + "count(*) AS reads, count(*) FILTER (WHERE writer = 'seen') AS writer_seen, "
        + "count(*) FILTER (WHERE writer = 'not_in_store') AS writer_not_in_store, "
        + "count(*) FILTER (WHERE writer = 'compressed') AS writer_compressed, "
        + "round(quantile_cont(value_age_ms, 0.5) FILTER (WHERE " + aged + "), 3) AS age_p50_ms, "
        + "round(quantile_cont(value_age_ms, 0.99) FILTER (WHERE " + aged + "), 3) AS age_p99_ms, "
        + "count(*) FILTER (WHERE miss = 'expired') AS expired, count(*) FILTER (WHERE miss = 'evicted') AS evicted, "
        + "count(*) FILTER (WHERE miss = 'deleted') AS after_delete, "
        + "CASE WHEN GROUPING(namespace) = 1 THEN arg_max({'key': key, 'namespace': namespace, 'miss': miss, "
        + "'read_time': read_time::VARCHAR, 'written_ms_before': round(value_age_ms, 3), 'ttl_s': write_ttl, "
        + "'read_trace_id': read_trace_id, 'write_trace_id': write_trace_id}, read_time, " + ReportBuilder.LIST
        + ") FILTER (WHERE " + vanished + ") END AS latest "
        + "FROM lineage WHERE " + where + " GROUP BY GROUPING SETS ((namespace), ()) "
        + "ORDER BY total DESC, reads DESC, namespace");
    return List.of(valueAge(all), misses(all));
  }

  private static Section valueAge(ResultTable all) {
    ResultTable rows = namespaces(all, ReportBuilder.LIST, "namespace", "reads", "writer_seen", "writer_not_in_store",
        "writer_compressed", "age_p50_ms", "age_p99_ms");
    Section section = new Section("value_age", "Value age at read", "How long before each read its value was written "
        + "(p50, p99, in ms, over reads that found a value written by a span in the store), and how many reads had "
        + "that writer in the store, had none, or had one the agent's retention may have compressed. By namespace, "
        + "most reads first.", rows);
    if (all.size() > 0) {
      section.with("reads", all.number(0, "reads")).with("writer_seen", all.number(0, "writer_seen"))
          .with("writer_not_in_store", all.number(0, "writer_not_in_store"))
          .with("writer_compressed", all.number(0, "writer_compressed"));
    }
    return section;
  }

  private static Section misses(ResultTable all) {
    List<List<Object>> rows = new ArrayList<>();
    List<String> columns = List.of("key", "namespace", "miss", "read_time", "written_ms_before", "ttl_s", "read_trace_id",
        "write_trace_id");
    Map<String, Long> byNamespace = new LinkedHashMap<>();
    if (all.size() > 0 && all.value(0, "latest") instanceof List<?> latest) {
      for (Object entry : latest) {
        Map<?, ?> m = (Map<?, ?>) entry;
        List<Object> row = new ArrayList<>();
        columns.forEach(c -> row.add(m.get(c)));
        rows.add(row);
      }
    }
    for (int i = 1; i < all.size(); i++) {
      long n = all.number(i, "expired") + all.number(i, "evicted");
      if (n > 0 && byNamespace.size() < ReportBuilder.NAMESPACES) {
        byNamespace.put(all.text(i, "namespace"), n);
      }
    }
    List<ResultTable.Column> types = new ArrayList<>();
    columns.forEach(c -> types.add(new ResultTable.Column(c, c.equals("written_ms_before") ? "DOUBLE"
        : c.equals("ttl_s") ? "BIGINT" : "VARCHAR")));
    long expired = all.size() == 0 ? 0 : all.number(0, "expired");
    long evicted = all.size() == 0 ? 0 : all.number(0, "evicted");
    String note = "Reads that found nothing although a write of the key was in the store before them: expired (its TTL "
        + "had run out) or evicted (no TTL had: evicted by Redis, or removed by a client memtrace does not trace). "
        + (expired + evicted > rows.size() ? "The latest " + rows.size() + " of " + (expired + evicted) + "." : "");
    return new Section("misses_after_write", "Reads that found nothing after a write", note.strip(),
        new ResultTable(types, rows, false)).with("expired", expired).with("evicted", evicted)
        .with("after_delete", all.size() == 0 ? 0 : all.number(0, "after_delete")).with("by_namespace", byNamespace);
  }

  /** The per-namespace rows (the total row is first), the first {@code limit}, with the named columns. */
  private static ResultTable namespaces(ResultTable all, int limit, String... names) {
    List<ResultTable.Column> columns = new ArrayList<>();
    for (String name : names) {
      columns.add(all.columns().get(all.column(name)));
    }
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 1; i < all.size() && rows.size() < limit; i++) {
      List<Object> row = new ArrayList<>();
      for (String name : names) {
        row.add(all.value(i, name));
      }
      rows.add(row);
    }
    return new ResultTable(columns, rows, false);
  }
}
