package io.memtrace.collector.embedded;

import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.lineage.TraceLineage;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the report's latest misses, read from the embedded store's lineage once the counts per namespace are
 * known: only those few reads' keys and trace ids, and their writers' traces where the lineage is over the kept events.
 * {@link LineageSections} turns them into the misses section.
 */
final class LatestMisses {

  private LatestMisses() {
  }

  /**
   * The latest {@link ReportBuilder#LIST} expired, evicted or unknown misses, of all namespaces, by the times
   * {@code counts} gives.
   */
  static ResultTable of(SqlSource source, String missed, ResultTable counts) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < counts.size(); i++) {
      if (counts.value(i, "latest_us") instanceof List<?> list) {
        list.forEach(t -> times.add(((Number) t).longValue()));
      }
    }
    times.sort(Comparator.reverseOrder());
    List<Long> wanted = times.subList(0, Math.min(ReportBuilder.LIST, times.size()));
    if (wanted.isEmpty()) {
      return new ResultTable(List.of(), List.of(), false);
    }
    StringBuilder in = new StringBuilder();
    wanted.forEach(t -> in.append(in.length() == 0 ? "" : ", ").append("make_timestamp(").append(t).append(")"));
    ResultTable rows = source.query("SELECT key, namespace, miss, read_time::VARCHAR AS read_time, "
        + "round(value_age_ms, 3) AS written_ms_before, write_ttl AS ttl_s, read_trace_id, write_trace_id, "
        + "read_span_id FROM " + missed + " WHERE miss IN ('expired', 'evicted', 'unknown') AND read_time IN (" + in + ") "
        + "ORDER BY read_time DESC, key, read_trace_id LIMIT " + ReportBuilder.LIST);
    return LineageViews.kept(source) ? withWriterTraces(source, rows, wanted) : rows;
  }

  /**
   * {@code rows} (latest misses picked over the kept events, whose writers' traces the relation leaves null) with
   * each read's writer's trace, as the view names it, looked up for these few reads only ({@link TraceLineage#keptReads}).
   */
  private static ResultTable withWriterTraces(SqlSource source, ResultTable rows, List<Long> times) {
    if (rows.size() == 0) {
      return rows;
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      ids.add(rows.text(i, "read_trace_id") + "/" + rows.text(i, "read_span_id"));
    }
    StringBuilder list = new StringBuilder();
    ids.forEach(id -> list.append(list.length() == 0 ? "" : ", ").append("'").append(id.replace("'", "''")).append("'"));
    String pairs = "(SELECT split_part(v, '/', 1) AS t, split_part(v, '/', 2) AS s FROM (SELECT unnest([" + list
        + "]) AS v))";
    ResultTable named = TraceLineage.keptReads(source, times.get(times.size() - 1), times.get(0), pairs);
    Map<String, String> writers = new LinkedHashMap<>();
    for (int i = 0; i < named.size(); i++) {
      writers.put(named.text(i, "read_trace_id") + "/" + named.text(i, "read_span_id"), named.text(i, "write_trace_id"));
    }
    int column = rows.column("write_trace_id");
    List<List<Object>> filled = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      List<Object> row = new ArrayList<>(rows.rows().get(i));
      row.set(column, writers.get(ids.get(i)));
      filled.add(row);
    }
    return new ResultTable(rows.columns(), filled, rows.truncated());
  }
}
