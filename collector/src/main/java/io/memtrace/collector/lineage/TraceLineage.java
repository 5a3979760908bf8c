package io.memtrace.collector.lineage;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.MemoryConventions;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The lineage of the reads of one trace, from the {@code lineage} view, with each writer's task. The
 * view is asked with the trace's keys as well as its id: DuckDB then reads the writes of those keys
 * only, where the trace id alone leaves it joining every write in the store.
 */
public final class TraceLineage {

  private TraceLineage() {
  }

  /**
   * @param traceId the whole trace id
   * @param keys the keys the trace's spans name (memory-manager and Redis keys alike)
   * @return by read span id
   */
  public static Map<String, ReadLineage> of(SqlSource source, String traceId, Collection<String> keys) {
    Map<String, ReadLineage> reads = new LinkedHashMap<>();
    if (keys.isEmpty()) {
      return reads;
    }
    ResultTable rows = source.query("SELECT read_span_id, read_service, writer, miss, write_trace_id, write_span_id, "
        + "write_service, write_name, write_access, value_age_ms, write_ttl FROM lineage WHERE read_trace_id = "
        + literal(traceId) + " AND key IN (" + keys.stream().distinct().map(TraceLineage::literal)
        .collect(Collectors.joining(", ")) + ")");
    Map<String, String> tasks = writerTasks(source, rows);
    for (int i = 0; i < rows.size(); i++) {
      String write = rows.text(i, "write_span_id");
      reads.put(rows.text(i, "read_span_id"), new ReadLineage(rows.text(i, "read_span_id"), rows.text(i, "read_service"),
          rows.text(i, "writer"), rows.text(i, "miss"), rows.text(i, "write_trace_id"), rows.text(i, "write_service"),
          rows.text(i, "write_access"), write == null ? null : tasks.getOrDefault(write, rows.text(i, "write_name")),
          rows.decimal(i, "value_age_ms"), rows.value(i, "write_ttl") == null ? null : rows.number(i, "write_ttl")));
    }
    return reads;
  }

  /**
   * The task of each write span: its nearest ancestor that is no memory-manager operation and no
   * database command. The writers' traces are read once, a few columns of each span.
   */
  private static Map<String, String> writerTasks(SqlSource source, ResultTable rows) {
    Map<String, String> traceOf = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.text(i, "write_span_id") != null) {
        traceOf.put(rows.text(i, "write_span_id"), rows.text(i, "write_trace_id"));
      }
    }
    if (traceOf.isEmpty()) {
      return Map.of();
    }
    String attribute = "TRY_CAST(attributes['%s'] AS VARCHAR)";
    ResultTable spans = source.query("SELECT span_id, parent_span_id, name, ("
        + MemoryConventions.operationSql(key -> String.format(attribute, key)) + ") IS NOT NULL OR attributes['db.system.name'] "
        + "IS NOT NULL OR attributes['db.system'] IS NOT NULL AS operation FROM spans WHERE trace_id IN ("
        + traceOf.values().stream().distinct().map(TraceLineage::literal).collect(Collectors.joining(", ")) + ")");
    Map<String, Integer> byId = new HashMap<>();
    for (int i = 0; i < spans.size(); i++) {
      byId.put(spans.text(i, "span_id"), i);
    }
    Map<String, String> tasks = new HashMap<>();
    for (String write : traceOf.keySet()) {
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

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
