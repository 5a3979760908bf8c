package io.memtrace.collector.lineage;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.MemoryConventions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The task that made each write a read saw: the write span's nearest ancestor that is no memory-manager operation and
 * no database command, which the lineage names the writer by ({@code write_name} otherwise). The embedded store looks
 * the ancestors up here; the ClickHouse store reads them its own way and names the tasks by the same rule.
 */
public final class WriterTasks {

  private WriterTasks() {
  }

  /**
   * The task of each write span: its nearest ancestor that is no memory-manager operation and no
   * database command. The writers' traces are read once, a few columns of each span.
   */
  static Map<String, String> of(SqlSource source, String from, List<ResultTable> answers) {
    Map<String, String> traceOf = new HashMap<>();
    String first = null;
    String latest = null;
    for (ResultTable rows : answers) {
      for (int i = 0; i < rows.size(); i++) {
        String time = rows.text(i, "write_time");
        if (rows.text(i, "write_span_id") != null) {
          traceOf.put(rows.text(i, "write_span_id"), rows.text(i, "write_trace_id"));
          first = first == null || time.compareTo(first) < 0 ? time : first;
          latest = latest == null || time.compareTo(latest) > 0 ? time : latest;
        }
      }
    }
    if (traceOf.isEmpty()) {
      return Map.of();
    }
    ResultTable spans = source.queryOwn("SELECT span_id, parent_span_id, name, ("
        + MemoryConventions.operationSql(MemoryConventions::column) + ") IS NOT NULL OR db_system_name IS NOT NULL "
        + "OR db_system IS NOT NULL AS operation FROM " + from + " WHERE trace_id IN ("
        + traceOf.values().stream().distinct().map(TraceLineage::literal).collect(Collectors.joining(", ")) + ") "
        // an ancestor began before its write ended and ended after it: the time keeps the scan to those row groups
        + "AND start_time <= TIMESTAMP '" + latest + "' AND end_time >= TIMESTAMP '" + first + "'");
    return tasks(spans, traceOf.keySet());
  }

  /**
   * The task of each write span of {@code writes}: its nearest ancestor among {@code spans} ({@code span_id,
   * parent_span_id, name, operation}, operation true for a memory-manager operation or database command) that is no
   * operation; none for a write without one. Any store's.
   */
  public static Map<String, String> tasks(ResultTable spans, java.util.Set<String> writes) {
    Map<String, Integer> byId = new HashMap<>();
    for (int i = 0; i < spans.size(); i++) {
      byId.put(spans.text(i, "span_id"), i);
    }
    Map<String, String> tasks = new HashMap<>();
    for (String write : writes) {
      Integer at = byId.get(write);
      String task = null;
      for (int depth = 0; at != null && depth < 64 && task == null; depth++) {
        String parent = spans.text(at, "parent_span_id");
        at = parent == null ? null : byId.get(parent);
        if (at != null && !Boolean.TRUE.equals(spans.bool(at, "operation"))) {
          task = spans.text(at, "name");
        }
      }
      if (task != null) {
        tasks.put(write, task);
      }
    }
    return tasks;
  }
}
