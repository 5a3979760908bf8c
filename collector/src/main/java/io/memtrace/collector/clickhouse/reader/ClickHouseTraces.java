package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.lineage.WriterTasks;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.view.TraceSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Whole traces from ClickHouse with the write each read saw: the chosen traces' spans (found through the exporter's
 * {@code otel_traces_trace_id_ts} lookup when the id is whole), and their reads' lineage in one query
 * ({@link Lineage#rows}), each writer named by its task as the embedded store names it.
 */
final class ClickHouseTraces {

  private static final java.util.function.Function<String, String> ATTRIBUTE =
      name -> "nullIf(attributes['" + name + "'], '')";

  private static final String FIELDS = "trace_id, span_id, parent_span_id, name, service_name, start_us, duration_ms, "
      + "status_code, status_message, memory_key AS key, " + ATTRIBUTE.apply("agent.id") + " AS agent, "
      + ATTRIBUTE.apply("test.case.name") + " AS test_case, memory_namespace AS namespace, memory_value_size AS size, "
      + "toBool(memtrace_derived_from IS NOT NULL) AS from_statement, "
      + "toBool(position(coalesce(memtrace_unknown, ''), 'memory.key') > 0) AS key_unknown, memory_found AS found, "
      + "toInt64OrNull(" + MemoryConventions.resultCountSql(ATTRIBUTE) + ") AS results, "
      + "toInt64OrNull(" + MemoryConventions.itemCountSql(ATTRIBUTE) + ") AS items, memory_operation, "
      + "db_operation_name AS db_operation, toBool(db_system_name IS NOT NULL OR db_system IS NOT NULL) AS is_database, "
      + ATTRIBUTE.apply("error.type") + " AS error_type, "
      + "if(server_address IS NOT NULL, concat(server_address, ':', coalesce(server_port, '')), NULL) AS redis, "
      + "toInt32OrNull(db_namespace) AS db, if(memtrace_compressed_count IS NOT NULL, "
      + "toJSONString(arrayMap((n, a) -> CAST((n, a), 'Tuple(name String, attributes Map(String, String))'), "
      + "event_names, event_attributes)), NULL) AS compressed_events";

  private final SqlSource source;

  ClickHouseTraces(SqlSource source) {
    this.source = source;
  }

  /** The ids of the traces asked: one id or prefix, or the {@code last} most recent, oldest first. */
  List<String> choose(String traceId, int last, String service) {
    if (traceId != null) {
      String id = traceId.trim().toLowerCase(java.util.Locale.ROOT);
      if (!id.matches("[0-9a-f]{1,32}")) {
        throw new CollectorException("--trace '" + traceId + "' is not a hex trace id");
      }
      return List.of(id);
    }
    String where = service == null ? "" : " WHERE ServiceName = " + literal(service);
    ResultTable ids = source.query("SELECT TraceId AS trace_id, max(Timestamp) AS latest FROM " + TypedSpans.STORED + where
        + " GROUP BY TraceId ORDER BY latest DESC, trace_id LIMIT " + Math.max(1, last));
    List<String> out = new ArrayList<>();
    for (int i = ids.size() - 1; i >= 0; i--) {
      out.add(ids.text(i, "trace_id"));
    }
    return out;
  }

  Map<String, List<TraceSpan>> load(List<String> ids) {
    Map<String, List<TraceSpan>> traces = new LinkedHashMap<>();
    ids.forEach(id -> traces.put(id, new ArrayList<>()));
    if (ids.isEmpty()) {
      return traces;
    }
    String match = ids.stream().map(id -> id.length() == 32 ? "s.TraceId = " + literal(id)
        : "startsWith(s.TraceId, " + literal(id) + ")").collect(Collectors.joining(" OR "));
    ResultTable rows = source.query("SELECT " + FIELDS + " FROM " + TypedSpans.from(0, match)
        + " ORDER BY start_us, span_id");
    for (int i = 0; i < rows.size(); i++) {
      TraceSpan span = TraceSpan.of(rows, i);
      String owner = ids.stream().filter(span.traceId()::startsWith).findFirst().orElse(span.traceId());
      traces.get(owner).add(span);
    }
    attachLineage(traces);
    return traces;
  }

  private void attachLineage(Map<String, List<TraceSpan>> traces) {
    List<String> whole = traces.values().stream().filter(t -> !t.isEmpty()).map(t -> t.get(0).traceId()).toList();
    if (whole.isEmpty()) {
      return;
    }
    java.util.Set<String> keys = new java.util.TreeSet<>();
    traces.values().forEach(t -> t.stream().filter(TraceSpan::namesKey).forEach(span -> keys.add(span.key())));
    if (keys.isEmpty()) {
      return;
    }
    ResultTable rows;
    NoticedLineage noticed = new NoticedLineage(source);
    boolean notified = noticed.notified();
    try {
      // the events of the traces' places: the spans of the store that name a key the traces name
      rows = noticed.readRows(whole, keys, null);
    } catch (CollectorException e) {
      io.memtrace.collector.Log.warn("no lineage for traces " + String.join(", ", whole) + ": " + e.getMessage());
      return;
    }
    Map<String, String> tasks = writerTasks(rows);
    Map<String, ReadLineage> bySpan = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String write = rows.text(i, "write_span_id");
      bySpan.put(rows.text(i, "read_trace_id") + "/" + rows.text(i, "read_span_id"), new ReadLineage(
          rows.text(i, "read_span_id"), rows.text(i, "read_service"), rows.text(i, "writer"), rows.text(i, "miss"),
          rows.text(i, "write_trace_id"), rows.text(i, "write_service"), rows.text(i, "write_access"),
          write == null ? null : tasks.getOrDefault(write, rows.text(i, "write_name")), rows.decimal(i, "value_age_ms"),
          rows.value(i, "write_ttl") == null ? null : rows.number(i, "write_ttl")));
    }
    io.memtrace.collector.view.ReadLines.set(traces.values(), span -> bySpan.get(span.traceId() + "/" + span.spanId()),
        noticed::timeline, notified);
  }

  /** Each write's task: its nearest ancestor that is neither a memory-manager operation nor a database command. */
  Map<String, String> writerTasks(ResultTable rows) {
    Map<String, String> traceOf = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.text(i, "write_span_id") != null) {
        traceOf.put(rows.text(i, "write_span_id"), rows.text(i, "write_trace_id"));
      }
    }
    if (traceOf.isEmpty()) {
      return Map.of();
    }
    ResultTable spans = source.query("SELECT SpanId AS span_id, nullIf(ParentSpanId, '') AS parent_span_id, "
        + "SpanName AS name, " + MemoryConventions.operationSql(TypedSpans.ATTRIBUTE) + " IS NOT NULL OR "
        + "s.SpanAttributes['db.system.name'] != '' OR s.SpanAttributes['db.system'] != '' AS operation_any, "
        + "toBool(operation_any) AS operation "
        + "FROM " + TypedSpans.STORED + " AS s WHERE TraceId IN (" + traceOf.values().stream().distinct()
        .map(ClickHouseTraces::literal).collect(Collectors.joining(", ")) + ")");
    return WriterTasks.tasks(spans, traceOf.keySet());
  }

  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A ClickHouse time from microseconds since the epoch. */
  static String micros(long us) {
    return "fromUnixTimestamp64Micro(" + us + ")";
  }
}
