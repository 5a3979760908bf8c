package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.RecordingSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.TracePage;
import io.memtrace.collector.reader.ViewAnswer;
import io.memtrace.collector.reader.ViewQuestion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The web view's questions in ClickHouse SQL: spans read as {@link TypedSpans} (the embedded store's typed columns
 * derived from {@code otel_traces}), a key's operations found in {@code memtrace_ops} by key, a read's write by
 * {@link Lineage}'s ASOF join, the watcher's samples in {@code memtrace_keyspace}, memtrace's counters in the
 * exporter's {@code otel_metrics_sum}. The columns are the embedded store's, row for row.
 */
final class ClickHouseViews {

  private static final int HEAT_COLUMNS = 60;
  private static final int HEAT_NAMESPACES = 15;
  private static final int FIRST_SEEN_BUCKETS = 40;
  private static final int HISTORY = 500;

  private final RecordingSource source;
  /** The pages of the watcher's samples, asked through {@link #source} so their statements are recorded too. */
  private final ClickHouseKeyspace keyspace;

  private ClickHouseViews(SqlSource rows) {
    this.source = new RecordingSource(rows);
    this.keyspace = new ClickHouseKeyspace(source);
  }

  static ViewAnswer answer(SqlSource rows, ViewQuestion q, Instant now) {
    ClickHouseViews views = new ClickHouseViews(rows);
    ResultTable table = views.ask(q, now);
    return new ViewAnswer(table, views.source.statements());
  }

  private ResultTable ask(ViewQuestion q, Instant now) {
    Long since = q.sinceMicros(now);
    return switch (q.kind()) {
      case TRACES -> ClickHouseTraceList.page(source, q, since);
      case CHOICES -> source.query(choices());
      case TRACE -> source.query(trace(q.id("trace")));
      case TRACE_FACTS -> source.query(facts(q.id("trace"), q.requiredNumber("from"), q.requiredNumber("to")));
      case SPAN -> source.query(span(q.id("trace"), q.id("span"), q.requiredNumber("start")));
      case READ_LINEAGE -> {
        NoticedLineage noticed = new NoticedLineage(source);
        yield io.memtrace.collector.timeline.MissCauses.withCause(readLineage(q.id("trace"), q.id("span"), noticed),
            q.id("trace"), q.id("span"), noticed::timeline);
      }
      case KEYSPACE_NEAR -> keyspace.near(q.requiredNumber("from"), q.requiredNumber("to"));
      case LAYER -> source.query("SELECT count() AS n FROM (SELECT 1 FROM " + TypedSpans.from(0, "",
          List.of("memory_operation", "memory_key")) + " WHERE memory_operation IS NOT NULL AND memory_key IS NOT NULL LIMIT 1)");
      case HEAT -> source.query(heat(q.layer(), since));
      case KEY_HISTORY -> keyHistory(q.required("key"));
      case SAMPLES -> keyspace.samples();
      case GAUGES -> gauges();
      case KEYSPACE_SERIES -> keyspace.series(since);
      case KEYSPACE_GROWTH -> keyspace.growth(since);
      case FIRST_SEEN -> source.query(firstSeen(q.layer(), since));
      case COUNTERS -> counters();
    };
  }

  private static String literal(String text) {
    return ClickHouseTraces.literal(text);
  }

  private static String micros(long us) {
    return ClickHouseTraces.micros(us);
  }

  /** The typed columns of the pages that count keys per namespace and layer over time (a CTE read two or three times). */
  private static final List<String> KEYED = List.of("start_us", "memory_key", "memory_namespace", "memory_operation",
      "db_system_name", "db_system");

  private static String layer(Layer layer) {
    return io.memtrace.collector.clickhouse.SpanColumns.inLayer(layer);
  }

  private static String choices() {
    return "SELECT kind, value FROM (\nSELECT 1 AS part, 0 AS n, 'service' AS kind, toString(ServiceName) AS value "
        + "FROM " + TypedSpans.STORED + " WHERE value != '' GROUP BY value\nUNION ALL SELECT 2, count(), 'name', toString(SpanName) "
        + "FROM " + TypedSpans.STORED + " GROUP BY SpanName ORDER BY count() DESC, toString(SpanName) LIMIT 200\n"
        + "UNION ALL SELECT 3, count(), 'namespace', assumeNotNull(memory_namespace) FROM "
        + TypedSpans.from(0, "", List.of("memory_namespace")) + " WHERE memory_namespace IS NOT NULL GROUP BY memory_namespace ORDER BY count() DESC, memory_namespace "
        + "LIMIT 200)\nORDER BY part, n DESC, value";
  }

  private static String trace(String id) {
    return "SELECT span_id, parent_span_id, toString(name) AS name, start_us, duration_ms,\n"
        + "  multiIf(db_system_name IS NOT NULL OR db_system IS NOT NULL, 'redis', memory_operation IS NOT NULL, "
        + "'memory',\n    attributes['gen_ai.operation.name'] IN ('chat', 'text_completion', 'generate_content'), "
        + "'model', 'task') AS kind,\n  memory_key, toBool(memory_key IS NULL AND position(coalesce(memtrace_unknown, "
        + "nullIf(attributes['memtrace.unknown'], ''), ''), 'memory.key') > 0) AS key_unknown,\n"
        + "  if(status_code = 'ERROR', coalesce(status_message, ''), NULL) AS error,\n  memtrace_compressed_count, "
        + "if(memtrace_compressed_count IS NOT NULL, toJSONString(arrayMap((n, a) -> CAST((n, a), "
        + "'Tuple(name String, attributes Map(String, String))'), event_names, event_attributes)), NULL) AS "
        + "compressed_events\nFROM " + TypedSpans.from(0, "s.TraceId = '" + id + "'") + "\nORDER BY start_us, span_id";
  }

  private static String facts(String id, long from, long to) {
    String spans = TypedSpans.from(0, "s.TraceId = '" + id + "' AND s.Timestamp >= " + micros(from)
        + " AND s.Timestamp < " + micros(to + 1));
    return "SELECT kind, value FROM (SELECT DISTINCT 'service' AS kind, service_name AS value FROM " + spans
        + " WHERE service_name != ''\nUNION ALL SELECT DISTINCT 'namespace', assumeNotNull(memory_namespace) FROM " + spans
        + " WHERE memory_namespace IS NOT NULL)\nORDER BY kind, value";
  }

  private static String span(String trace, String span, long start) {
    return "SELECT toString(ServiceName) AS service_name, " + TypedSpans.STATUS + " AS status_code, "
        + "nullIf(StatusMessage, '') AS status_message,\n  SpanAttributes AS attributes, toJSONString(arrayMap((n, t, a) -> "
        + "CAST((n, toUnixTimestamp64Nano(t), a), 'Tuple(name String, time_unix_nano UInt64, attributes Map(String, "
        + "String))'), `Events.Name`, `Events.Timestamp`, `Events.Attributes`)) AS events,\n"
        + "  ResourceAttributes AS resource_attributes, nullIf(ScopeName, '') AS scope_name, nullIf(TraceState, '') AS "
        + "trace_state\nFROM " + TypedSpans.STORED + " AS s WHERE TraceId = '" + trace + "' AND SpanId = '" + span + "'\n"
        + "  AND Timestamp >= " + micros(start) + " AND Timestamp < " + micros(start + 1);
  }

  /** The write one read saw: the read's key found in memtrace_ops, then the trace's lineage over that key's spans. */
  private ResultTable readLineage(String trace, String span, NoticedLineage noticed) {
    ResultTable keys = source.query("SELECT DISTINCT Key FROM memtrace_ops WHERE TraceId = '" + trace
        + "' AND SpanId = '" + span + "' AND Key != ''");
    List<String> named = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      named.add(keys.text(i, "Key"));
    }
    String columns = "write_trace_id, write_span_id, write_service, write_name, write_access, write_time_us AS write_us, "
        + "value_age_ms, writer, found, key, miss";
    if (named.isEmpty()) {
      String text = "CAST(NULL AS Nullable(String)) AS ";
      return source.query("SELECT " + text + "write_trace_id, " + text + "write_span_id, " + text + "write_service, "
          + text + "write_name, " + text + "write_access, CAST(NULL AS Nullable(Int64)) AS write_us, "
          + "CAST(NULL AS Nullable(Float64)) AS value_age_ms, " + text + "writer, CAST(NULL AS Nullable(Bool)) AS found, "
          + text + "key, " + text + "miss LIMIT 0");
    }
    ResultTable rows = noticed.readRows(List.of(trace), named, span);
    List<ResultTable.Column> shown = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    for (String c : columns.split(", ")) {
      String name = c.replaceAll(".* AS ", "");
      int i = rows.column(c.replaceAll(" AS .*", ""));
      shown.add(new ResultTable.Column(name, rows.columns().get(i).type()));
      from.add(i);
    }
    List<List<Object>> cells = new ArrayList<>();
    for (List<Object> row : rows.rows()) {
      cells.add(from.stream().map(row::get).collect(Collectors.toCollection(ArrayList::new)));
    }
    return new ResultTable(shown, cells, rows.truncation());
  }

  /** A statement that returns a row when the store recorded keyspace notifications. */
  static final String NOTIFIED = "SELECT 1 FROM memtrace_key_notifications LIMIT 1";

  private static String heat(Layer layer, Long since) {
    return "WITH ops AS (SELECT coalesce(memory_namespace, '') AS ns, start_us AS t FROM "
        + TypedSpans.from(since == null ? 0 : since, "", KEYED) + "\n  WHERE memory_key IS NOT NULL AND " + layer(layer) + "),\n"
        + "bounds AS (SELECT min(t) AS t0, max(t) + 1 AS t1 FROM ops),\n"
        + "top AS (SELECT ns AS top_ns, count() AS total FROM ops GROUP BY ns ORDER BY total DESC, ns LIMIT "
        + HEAT_NAMESPACES + ")\nSELECT o.ns AS namespace, toInt32(least(" + (HEAT_COLUMNS - 1) + ", floor((o.t - b.t0) * "
        + HEAT_COLUMNS + " / (b.t1 - b.t0)))) AS bucket,\n  count() AS ops, any(b.t0) AS t0, any(b.t1) AS t1, "
        + "any(top.total) AS total\nFROM ops AS o INNER JOIN top ON o.ns = top.top_ns CROSS JOIN bounds AS b\n"
        + "GROUP BY o.ns, bucket ORDER BY total DESC, namespace, bucket";
  }

  /** A key's operations: found in memtrace_ops, ordered by key, then read as typed spans by their trace ids. */
  private ResultTable keyHistory(String key) {
    ResultTable ops = source.query("SELECT DISTINCT TraceId, SpanId FROM memtrace_ops WHERE Key = " + literal(key)
        + " ORDER BY TraceId, SpanId LIMIT " + (Lineage.LISTED_SPANS + 1));
    String spans;
    if (ops.size() > Lineage.LISTED_SPANS) {
      spans = "(s.TraceId, s.SpanId) IN (SELECT TraceId, SpanId FROM memtrace_ops WHERE Key = " + literal(key) + ")";
    } else if (ops.size() == 0) {
      spans = "false";
    } else {
      List<String> ids = new ArrayList<>();
      List<String> pairs = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        ids.add(literal(ops.text(i, "TraceId")));
        pairs.add("(" + literal(ops.text(i, "TraceId")) + ", " + literal(ops.text(i, "SpanId")) + ")");
      }
      spans = "s.TraceId IN (" + ids.stream().distinct().collect(Collectors.joining(", ")) + ") AND (s.TraceId, s.SpanId) IN ("
          + String.join(", ", pairs) + ")";
    }
    return source.query("SELECT start_us, trace_id, span_id, service_name, toString(name) AS name,\n"
        + "  coalesce(memory_operation, db_operation_name) AS operation, memory_found AS found,\n"
        + "  memory_value_size AS size, memory_ttl AS ttl, duration_ms, status_code, status_message\n"
        + "FROM " + TypedSpans.from(0, spans) + " WHERE memory_key = " + literal(key) + "\n"
        + "ORDER BY start_us DESC, span_id LIMIT " + HISTORY);
  }

  private ResultTable gauges() {
    if (keyspace.samples().number(0, "n") > 0) {
      return keyspace.byLayer();
    }
    return source.query("SELECT layer, sum(size) AS bytes, countIf(size IS NOT NULL) AS records, CAST(NULL AS Nullable(String)) AS "
        + "sampled_at, false AS estimated, false AS watched FROM (\n  SELECT attributes['memory.layer'] AS layer, "
        + "coalesce(memory_key, if(memory_operation = 'store', span_id, NULL)) AS record,\n"
        // a tuple is never NULL, so the last operation's size is taken even when it has none, as arg_max_null does
        + "    argMax(tuple(memory_value_size), start_us).1 AS size\n  FROM " + TypedSpans.from(0, "")
        + "\n  WHERE memory_operation IS NOT NULL AND attributes['memory.layer'] != '' GROUP BY layer, record)\n"
        + "WHERE record IS NOT NULL AND layer IN ('session', 'cache', 'deep') GROUP BY layer ORDER BY layer");
  }

  private static String firstSeen(Layer layer, Long since) {
    int n = FIRST_SEEN_BUCKETS;
    return "WITH first AS (SELECT coalesce(memory_namespace, '') AS ns, memory_key, min(start_us) AS seen FROM "
        + TypedSpans.from(since == null ? 0 : since, "", KEYED) + "\n  WHERE memory_key IS NOT NULL AND " + layer(layer)
        + " GROUP BY ns, memory_key),\nb AS (SELECT min(seen) AS t0, max(seen) + 1 AS t1 FROM first)\n"
        + "SELECT ns AS namespace, toInt64(round(b.t0 + (least(" + (n - 1) + ", floor((seen - b.t0) * " + n
        + " / (b.t1 - b.t0))) + 1) * (b.t1 - b.t0) / " + n + ")) AS t,\n  count() AS keys\n"
        + "FROM first CROSS JOIN b GROUP BY ns, t ORDER BY t, namespace";
  }

  /** memtrace's counters per service from the exporter's otel_metrics_sum, when a gateway sends metrics there. */
  private ResultTable counters() {
    if (source.query("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() "
        + "AND name = 'otel_metrics_sum'").number(0, "n") == 0) {
      return source.query("SELECT '' AS service_name, '' AS name, toInt64(0) AS value LIMIT 0");
    }
    return source.query("SELECT service_name, name, toInt64(sum(v)) AS value FROM (\n  SELECT toString(ServiceName) AS "
        + "service_name, MetricName AS name,\n    if(AggregationTemporality = 1, sum(Value), argMax(Value, TimeUnix)) AS v\n"
        + "  FROM otel_metrics_sum WHERE MetricName IN (" + ViewQuestion.COUNTER_NAMES + ")\n"
        + "  GROUP BY ServiceName, MetricName, toString(Attributes), AggregationTemporality)\n"
        + "GROUP BY service_name, name ORDER BY service_name, name");
  }
}
