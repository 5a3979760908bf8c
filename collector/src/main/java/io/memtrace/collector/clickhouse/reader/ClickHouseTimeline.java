package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.lineage.CommandAccess;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.KeyRecord;
import io.memtrace.collector.timeline.RecordTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A record's timeline from the fleet store: the key's operations in {@code memtrace_ops} (a memory operation's store
 * is empty, a Redis command's {@code host:port/db}), its notifications in {@code memtrace_key_notifications},
 * retention's counts from the carrying spans of {@code otel_traces}, and {@code memtrace_key_notification_status};
 * named as {@link RecordTables} reads them, so {@link KeyRecord} gives the embedded store's answer.
 */
final class ClickHouseTimeline {

  private final SqlSource source;

  ClickHouseTimeline(SqlSource source) {
    this.source = source;
  }

  KeyTimeline timeline(TimelineRequest request) {
    String key = ClickHouseTraces.literal(request.key());
    // the keys that end with the key asked after a separator (KeyRecord.endsWithKey); lengths in bytes, consistently
    String ofRecord = "endsWith(Key, " + key + ") AND (Key = " + key + " OR NOT match(substring(Key, length(Key) - length(" + key
        + "), 1), '[A-Za-z0-9]'))";
    String memory = "Store = ''";
    String access = LineageViews.MEMORY_ACCESS.replace("memory_operation", "Operation");
    ResultTable spans = source.query("SELECT * FROM (SELECT toUnixTimestamp64Micro(Timestamp) AS t, "
        + "t + intDiv(Duration, 1000) AS e, TraceId AS trace_id, SpanId AS span_id, ParentSpanId AS parent_span_id, "
        + "ServiceName AS service_name, if(" + memory + ", 'memory', 'redis') AS layer, "
        + "if(" + memory + ", NULL, splitByChar('/', Store)[1]) AS redis, "
        + "if(" + memory + ", NULL, toInt32OrNull(splitByChar('/', Store)[2])) AS db, Key AS key, "
        + "toString(Namespace) AS namespace, if(" + memory + ", " + access + ", if(upper(Operation) IN ("
        + KeyRecord.TTL_COMMANDS.stream().sorted().map(c -> "'" + c + "'").collect(Collectors.joining(", "))
        + "), 'ttl', toString(Access))) AS kind, if(" + memory + ", lower(Operation), Operation) AS event, "
        + "Found = 1 AS found, ValueSize AS value_size, Ttl AS ttl, Error = 1 AS error "
        + "FROM memtrace_ops WHERE " + ofRecord + " ORDER BY Timestamp DESC LIMIT "
        + RecordTables.MAX_SPAN_EVENTS + ") ORDER BY t");
    spans = withBatchCommands(withSpanFacts(spans), ofRecord.replace("Key", "ev.2['memory.key']"));
    ResultTable notifications = source.query("SELECT toUnixTimestamp64Micro(Timestamp) AS t, Store AS redis, "
        + "toInt32(Db) AS db, Key AS key, toString(Namespace) AS namespace, toString(Event) AS event, "
        + "toString(Kind) AS kind, Weight AS weight FROM memtrace_key_notifications WHERE " + ofRecord
        + " ORDER BY Timestamp");
    List<String> namespaces = RecordTables.namespaces(spans, notifications);
    ResultTable compressed = namespaces.isEmpty() ? new ResultTable(List.of(), List.of(), false)
        : source.query("SELECT start_us, end_us, namespace, command FROM (SELECT start_us, end_us, "
            + "nullIf(ev.2['memory.namespace'], '') AS namespace, "
            + "replaceRegexpOne(upper(ev.2['db.operation.name']), '^(PIPELINE|MULTI) ', '') AS command, ev.1 AS n FROM "
            + TypedSpans.from(0, "has(s.`Events.Name`, 'memtrace.compressed')", List.of("start_us", "end_us",
                "memtrace_compressed_count", "event_names", "event_attributes"))
            + " ARRAY JOIN arrayZip(event_names, event_attributes) AS ev WHERE memtrace_compressed_count IS NOT NULL AND "
            + Lineage.hidesWrites("ev.2", true) + ") "
            + "WHERE n = 'memtrace.compressed' AND (namespace IS NULL OR namespace = '_OTHER' OR namespace IN ("
            + namespaces.stream().map(ClickHouseTraces::literal).collect(Collectors.joining(", ")) + "))");
    return KeyRecord.build(request, RecordTables.rows(spans, notifications, compressed, statuses(),
        wholeDatabase(RecordTables.span(spans, notifications))));
  }

  /**
   * The traced commands that change a whole database ({@link RecordTables#WHOLE_DATABASE}) that began between
   * {@code span}'s two times (the record's first and last event), as the embedded store gives them (a SWAPDB's
   * databases, when its statement shows them, after its name).
   */
  private ResultTable wholeDatabase(long[] span) {
    if (span == null) {
      return new ResultTable(List.of(), List.of(), false);
    }
    String command = "upper(if(SpanAttributes['db.operation.name'] != '', SpanAttributes['db.operation.name'], "
        + "SpanName))";
    return source.query("SELECT toUnixTimestamp64Micro(Timestamp) AS t, t + intDiv(Duration, 1000) AS e, "
        + "TraceId AS trace_id, SpanId AS span_id, ParentSpanId AS parent_span_id, ServiceName AS service_name, "
        + "'redis' AS layer, if(SpanAttributes['server.address'] = '', NULL, concat(SpanAttributes['server.address'], "
        + "':', SpanAttributes['server.port'])) AS redis, toInt32OrNull(SpanAttributes['db.namespace']) AS db, "
        + "NULL AS key, NULL AS namespace, 'other' AS kind, if(match(SpanAttributes['db.query.text'], "
        + "'^[Ss][Ww][Aa][Pp][Dd][Bb] +[0-9]{1,3} +[0-9]{1,3}$'), concat('SWAPDB ', arrayStringConcat(extractAll("
        + "SpanAttributes['db.query.text'], '[0-9]+'), ' ')), " + command + ") AS event, NULL AS found, "
        + "NULL AS value_size, NULL AS ttl, StatusCode IN ('Error', 'STATUS_CODE_ERROR') AS error FROM "
        + TypedSpans.SPANS + " WHERE SpanName != '" + io.memtrace.collector.clickhouse.KeyEventSpansTable.CARRIER
        + "' AND " + command + " IN (" + RecordTables.WHOLE_DATABASE.stream().map(c -> "'" + c + "'")
        .collect(Collectors.joining(", ")) + ") AND Timestamp >= fromUnixTimestamp64Micro(" + span[0] + ") AND "
        + "Timestamp <= fromUnixTimestamp64Micro(" + span[1] + ") ORDER BY t");
  }

  /**
   * The two facts of a Redis span that {@code memtrace_ops} does not keep, as the embedded store's key events give
   * them: a delete whose reply ({@code memory.result_count}) is 0 removed nothing, so its kind is {@code other}
   * ({@link LineageViews#NOTHING_REMOVED}); and a span that named no database (ioredis's), which the ops row's store
   * calls database 0, has none. Read from the typed spans ({@link TypedSpans}) for those of the record's spans only.
   */
  private ResultTable withSpanFacts(ResultTable spans) {
    List<String> ids = new ArrayList<>();
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (int i = 0; i < spans.size(); i++) {
      Object db = spans.value(i, "db");
      if ("redis".equals(spans.text(i, "layer")) && (db != null && ((Number) db).intValue() == 0
          || LineageViews.removers().contains(String.valueOf(spans.text(i, "event")).toUpperCase(Locale.ROOT)))) {
        ids.add(ClickHouseTraces.literal(spans.text(i, "span_id")));
        long t = ((Number) spans.value(i, "t")).longValue();
        from = Math.min(from, t);
        to = Math.max(to, t);
      }
    }
    if (ids.isEmpty()) {
      return spans;
    }
    ResultTable facts = source.query("SELECT span_id, memory_result_count AS removed, db_namespace IS NULL AS no_db "
        + "FROM "
        + TypedSpans.from(from, "s.SpanId IN (" + String.join(", ", ids) + ") AND s.Timestamp <= "
            + "fromUnixTimestamp64Micro(" + (to + 1) + ")", List.of("span_id", "memory_result_count", "db_namespace")));
    Map<String, Object[]> bySpan = new HashMap<>();
    for (int i = 0; i < facts.size(); i++) {
      bySpan.put(facts.text(i, "span_id"), new Object[] {facts.value(i, "removed"), facts.value(i, "no_db")});
    }
    int kind = spans.column("kind");
    int db = spans.column("db");
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      List<Object> row = new ArrayList<>(spans.rows().get(i));
      Object[] fact = "redis".equals(spans.text(i, "layer")) ? bySpan.get(spans.text(i, "span_id")) : null;
      if (fact != null) {
        if (fact[0] instanceof Number n && n.longValue() == 0 && "delete".equals(row.get(kind))
            && LineageViews.removers().contains(String.valueOf(spans.text(i, "event")).toUpperCase(Locale.ROOT))) {
          row.set(kind, "other");
        }
        if (List.of("true", "1").contains(String.valueOf(fact[1]))) {
          row.set(db, null);
        }
      }
      rows.add(row);
    }
    return new ResultTable(spans.columns(), rows, false);
  }

  /**
   * The record's rows with the key events of pipelines' and transactions' commands added, in time order: each
   * {@link LineageViews#BATCH_COMMAND} event of a batch span (of {@code otel_traces}, or a compressed one's from its
   * key events) whose key is of the record
   * ({@code ofRecord}, over the event's key), as the embedded store's key events take it: the batch span's ids, times,
   * place and status, the command's key, namespace, size and TTL, and its access by the same table
   * ({@link CommandAccess#forKeyEvents}), a delete whose reply says it removed nothing being {@code other}.
   */
  private ResultTable withBatchCommands(ResultTable spans, String ofRecord) {
    ResultTable batch = source.query(batchCommands(ofRecord));
    if (batch.size() == 0) {
      return spans;
    }
    Map<String, String> access = CommandAccess.forKeyEvents();
    List<List<Object>> rows = new ArrayList<>(spans.rows());
    for (int i = 0; i < batch.size(); i++) {
      String kind = batchKind(batch, i, access);
      List<Object> row = new ArrayList<>();
      for (ResultTable.Column c : spans.columns()) {
        row.add(c.name().equals("kind") ? kind : batch.value(i, c.name()));
      }
      rows.add(row);
    }
    int t = spans.column("t");
    rows.sort(java.util.Comparator.comparingLong(r -> ((Number) r.get(t)).longValue()));
    return new ResultTable(spans.columns(), rows, false);
  }

  /**
   * The {@link LineageViews#BATCH_COMMAND} events of the batch spans (of {@code otel_traces}, or a compressed batch's
   * from its key events) whose event {@code ev} (name, attributes) {@code where} selects, a row each: the batch span's
   * ids, times, place and status, the command's key, namespace, size, TTL and reply count ({@code removed}).
   */
  static String batchCommands(String where) {
    return "SELECT toUnixTimestamp64Micro(Timestamp) AS t, t + intDiv(Duration, 1000) AS e, "
        + "TraceId AS trace_id, SpanId AS span_id, ParentSpanId AS parent_span_id, ServiceName AS service_name, "
        + "'redis' AS layer, if(SpanAttributes['server.address'] = '', NULL, concat(SpanAttributes['server.address'], "
        + "':', SpanAttributes['server.port'])) AS redis, toInt32OrNull(SpanAttributes['db.namespace']) AS db, "
        + "ev.2['memory.key'] AS key, nullIf(ev.2['memory.namespace'], '') AS namespace, "
        + "upper(ev.2['db.operation.name']) AS event, toInt64OrNull(ev.2['memory.result_count']) AS removed, "
        + "NULL AS found, toInt64OrNull(ev.2['memory.value_size']) AS value_size, "
        + "toInt64OrNull(ev.2['memory.ttl']) AS ttl, StatusCode IN ('Error', 'STATUS_CODE_ERROR') AS error "
        + "FROM " + TypedSpans.SPANS + " ARRAY JOIN arrayZip(`Events.Name`, `Events.Attributes`) AS ev "
        + "WHERE has(`Events.Name`, '" + LineageViews.BATCH_COMMAND + "') AND ev.1 = '" + LineageViews.BATCH_COMMAND
        + "' AND " + where + " ORDER BY t";
  }

  /**
   * The kind of row {@code i} of {@link #batchCommands}: its access by the key events' table ({@code access},
   * {@link CommandAccess#forKeyEvents}), a delete whose reply says it removed nothing being {@code other}.
   */
  static String batchKind(ResultTable batch, int i, Map<String, String> access) {
    String command = batch.text(i, "event");
    Object removed = batch.value(i, "removed");
    return removed instanceof Number n && n.longValue() == 0 && LineageViews.removers().contains(command)
        ? "other" : access.getOrDefault(command, "other");
  }

  /** The rows of {@code memtrace_key_notification_status}, oldest first, as {@link RecordTables} reads them. */
  ResultTable statuses() {
    return source.query("SELECT toUnixTimestamp64Micro(toDateTime64(Time, 6)) AS t, toString(Redis) "
        + "AS redis, toString(State) AS state, NotifyConfig AS notify_config, "
        + "toInt64(DroppedRate + DroppedSampled + DroppedQueue) AS dropped, nullIf(Namespaces, '') AS namespaces, "
        + "DroppedNamespaces AS dropped_namespaces FROM memtrace_key_notification_status ORDER BY Time");
  }
}
