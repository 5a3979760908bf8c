package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.KeyRecord;
import io.memtrace.collector.timeline.RecordRows;
import io.memtrace.collector.timeline.RecordTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A record's timeline from the fleet store: the key's operations in {@code memtrace_ops} (a memory operation's store
 * is empty, a Redis command's {@code host:port/db}), its notifications in {@code memtrace_key_notifications},
 * retention's counts from the carrying spans of {@code otel_traces}, and {@code memtrace_key_notification_status};
 * named as {@link RecordTables} reads them, so {@link KeyRecord} gives the embedded store's answer. What the ops rows
 * do not hold of the key's operations (pipelines' commands, two facts of a span) {@link KeyEventRows} adds.
 */
final class ClickHouseTimeline {

  private final SqlSource source;

  ClickHouseTimeline(SqlSource source) {
    this.source = source;
  }

  KeyTimeline timeline(TimelineRequest request) {
    return timelines(List.of(request)).get(request);
  }

  /**
   * The timelines of several records at once, each as {@link #timeline} gives it: each table is asked once for all
   * their keys (a row of several records is one row of each), so a question about many reads (a trace's, or a batch
   * of traces') costs a timeline's statements, not one timeline's statements a key. A record whose rows reach
   * {@link RecordTables#MAX_SPAN_EVENTS} in the joint answer is asked alone, so that no record is cut short by the
   * store's row limit where it would not be alone.
   */
  Map<TimelineRequest, KeyTimeline> timelines(java.util.Collection<TimelineRequest> requests) {
    List<String> keys = requests.stream().map(TimelineRequest::key).distinct().toList();
    Map<String, RecordRows> records = records(keys);
    if (records == null) {
      records = new HashMap<>();
      for (String key : keys) {
        records.putAll(records(List.of(key)));
      }
    }
    Map<TimelineRequest, KeyTimeline> timelines = new java.util.LinkedHashMap<>();
    for (TimelineRequest request : requests) {
      timelines.put(request, KeyRecord.build(request, records.get(request.key())));
    }
    return timelines;
  }

  /**
   * Whether Key (or {@code column}) is of the record of {@code key} (an SQL expression): it ends with the key after a
   * separator ({@code KeyRecord.endsWithKey}); lengths in bytes, consistently.
   */
  private static String ofRecord(String column, String key) {
    return "(endsWith(" + column + ", " + key + ") AND (" + column + " = " + key + " OR NOT match(substring(" + column
        + ", length(" + column + ") - length(" + key + "), 1), '[A-Za-z0-9]')))";
  }

  /**
   * The record each row of {@code column} is of, as a column {@code record} first: a row of several records
   * ({@code a:b} and {@code b}) is repeated, once for each.
   */
  private static String record(String column, List<String> keys) {
    return "arrayJoin(arrayFilter(r -> " + ofRecord(column, "r") + ", [" + keys.stream()
        .map(ClickHouseTraces::literal).collect(Collectors.joining(", ")) + "])) AS record";
  }

  /** The rows of each key's record; null when more than one key was asked and a record may have been cut short. */
  private Map<String, RecordRows> records(List<String> keys) {
    String any = keys.stream().map(k -> ofRecord("Key", ClickHouseTraces.literal(k)))
        .collect(Collectors.joining(" OR "));
    String memory = "Store = ''";
    String access = LineageViews.MEMORY_ACCESS.replace("memory_operation", "Operation");
    ResultTable spans = source.query("SELECT * FROM (SELECT " + record("Key", keys) + ", toUnixTimestamp64Micro(Timestamp) AS t, "
        + "intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000) AS e, TraceId AS trace_id, SpanId AS span_id, "
        + "ParentSpanId AS parent_span_id, "
        + "ServiceName AS service_name, if(" + memory + ", 'memory', 'redis') AS layer, "
        + "if(" + memory + ", NULL, splitByChar('/', Store)[1]) AS redis, "
        + "if(" + memory + ", NULL, toInt32OrNull(splitByChar('/', Store)[2])) AS db, Key AS key, "
        + "toString(Namespace) AS namespace, if(" + memory + ", " + access + ", if(upper(Operation) IN ("
        + KeyRecord.TTL_COMMANDS.stream().sorted().map(c -> "'" + c + "'").collect(Collectors.joining(", "))
        + "), 'ttl', toString(Access))) AS kind, if(" + memory + ", lower(Operation), Operation) AS event, "
        + "Found = 1 AS found, ValueSize AS value_size, Ttl AS ttl, Error = 1 AS error "
        + "FROM memtrace_ops WHERE " + any + " ORDER BY Timestamp DESC LIMIT "
        + RecordTables.MAX_SPAN_EVENTS + " BY record) ORDER BY t");
    spans = KeyEventRows.withSpanFacts(source, spans);
    ResultTable batch = source.query("SELECT " + record("key", keys) + ", * FROM (" + KeyEventRows.batchCommands("("
        + keys.stream().map(k -> ofRecord("ev.2['memory.key']", ClickHouseTraces.literal(k)))
            .collect(Collectors.joining(" OR ")) + ")") + ") ORDER BY t");
    ResultTable notifications = source.query("SELECT " + record("Key", keys) + ", toUnixTimestamp64Micro(Timestamp) AS t, "
        + "Store AS redis, toInt32(Db) AS db, Key AS key, toString(Namespace) AS namespace, toString(Event) AS event, "
        + "toString(Kind) AS kind, Weight AS weight FROM memtrace_key_notifications WHERE " + any
        + " ORDER BY Timestamp");
    if (keys.size() > 1 && java.util.stream.Stream.of(spans, batch, notifications)
        .anyMatch(t -> t.size() >= RecordTables.MAX_SPAN_EVENTS)) {
      return null;
    }
    Map<String, ResultTable> spansOf = byRecord(spans, keys);
    Map<String, ResultTable> batchOf = byRecord(batch, keys);
    Map<String, ResultTable> notificationsOf = byRecord(notifications, keys);
    Map<String, List<String>> namespacesOf = new HashMap<>();
    Map<String, long[]> spanOf = new HashMap<>();
    java.util.Set<String> namespaces = new java.util.TreeSet<>();
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (String key : keys) {
      spansOf.put(key, KeyEventRows.withBatchCommands(spansOf.get(key), batchOf.get(key)));
      namespacesOf.put(key, RecordTables.namespaces(spansOf.get(key), notificationsOf.get(key)));
      namespaces.addAll(namespacesOf.get(key));
      long[] span = RecordTables.span(spansOf.get(key), notificationsOf.get(key));
      if (span != null) {
        spanOf.put(key, span);
        from = Math.min(from, span[0]);
        to = Math.max(to, span[1]);
      }
    }
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
    ResultTable statuses = statuses();
    ResultTable whole = spanOf.isEmpty() ? null : wholeDatabase(new long[] {from, to});
    Map<String, RecordRows> records = new HashMap<>();
    for (String key : keys) {
      List<String> ns = namespacesOf.get(key);
      long[] span = spanOf.get(key);
      records.put(key, RecordTables.rows(spansOf.get(key), notificationsOf.get(key), ns.isEmpty() ? EMPTY
          : where(compressed, i -> compressed.text(i, "namespace") == null || "_OTHER".equals(compressed.text(i,
              "namespace")) || ns.contains(compressed.text(i, "namespace"))), statuses, span == null ? EMPTY
          : where(whole, i -> whole.value(i, "trace_id") == null
              ? ((Number) whole.value(i, "e")).longValue() >= span[0]
              && ((Number) whole.value(i, "t")).longValue() <= span[1] + RecordTables.UNTRACED_AFTER_US
              : ((Number) whole.value(i, "ns")).longValue() >= span[0] * 1000
              && ((Number) whole.value(i, "ns")).longValue() <= span[1] * 1000)));
    }
    return records;
  }

  private static final ResultTable EMPTY = new ResultTable(List.of(), List.of(), false);

  /** The rows of {@code table} that {@code keep} keeps, by index. */
  private static ResultTable where(ResultTable table, java.util.function.IntPredicate keep) {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      if (keep.test(i)) {
        rows.add(table.rows().get(i));
      }
    }
    return new ResultTable(table.columns(), rows, false);
  }

  /** {@code table}'s rows of each key's record (its column {@code record}, first, left out), in their order. */
  private static Map<String, ResultTable> byRecord(ResultTable table, List<String> keys) {
    int record = table.column("record");
    List<ResultTable.Column> columns = new ArrayList<>(table.columns());
    columns.remove(record);
    Map<String, List<List<Object>>> rows = new HashMap<>();
    keys.forEach(k -> rows.put(k, new ArrayList<>()));
    for (List<Object> row : table.rows()) {
      List<Object> cells = new ArrayList<>(row);
      Object key = cells.remove(record);
      rows.get(String.valueOf(key)).add(cells);
    }
    Map<String, ResultTable> out = new HashMap<>();
    rows.forEach((k, r) -> out.put(k, new ResultTable(columns, r, false)));
    return out;
  }

  /**
   * The traced commands that change a whole database ({@link RecordTables#WHOLE_DATABASE}) that began between
   * {@code span}'s two times (the records' first and last event; {@code ns} their start in nanoseconds, by which
   * each record keeps its own), as the embedded store gives them (a SWAPDB's
   * databases, when its statement shows them, after its name).
   */
  private ResultTable wholeDatabase(long[] span) {
    if (span == null) {
      return new ResultTable(List.of(), List.of(), false);
    }
    String command = "upper(if(SpanAttributes['db.operation.name'] != '', SpanAttributes['db.operation.name'], "
        + "SpanName))";
    String events = RecordTables.WHOLE_DATABASE.stream().map(c -> "'" + c.toLowerCase(java.util.Locale.ROOT) + "'")
        .collect(Collectors.joining(", "));
    // the commands the keyspace watcher counted, each in the window before its row's time (its weight, in seconds)
    String counted = "SELECT toUnixTimestamp64Micro(Timestamp) - toInt64(round(Weight * 1000000)) AS t, "
        + "toUnixTimestamp64Nano(Timestamp) AS ns, toInt64(toUnixTimestamp64Micro(Timestamp)) AS e, "
        + "CAST(NULL AS Nullable(String)) AS trace_id, CAST(NULL AS Nullable(String)) AS span_id, "
        + "CAST(NULL AS Nullable(String)) AS parent_span_id, CAST(NULL AS Nullable(String)) AS service_name, "
        + "'redis' AS layer, CAST(toString(Store) AS Nullable(String)) AS redis, CAST(NULL AS Nullable(Int32)) AS db, "
        + "NULL AS key, NULL AS namespace, 'other' AS kind, upper(toString(Event)) AS event, NULL AS found, "
        + "NULL AS value_size, NULL AS ttl, toUInt8(0) AS error FROM memtrace_key_notifications WHERE Key = '' AND "
        + "Event IN (" + events + ") AND Timestamp >= fromUnixTimestamp64Micro(" + span[0] + ")";
    counted = "SELECT * FROM (" + counted + ") WHERE t <= " + (span[1] + RecordTables.UNTRACED_AFTER_US);
    return source.query("SELECT * FROM (SELECT toUnixTimestamp64Micro(Timestamp) AS t, "
        + "toUnixTimestamp64Nano(Timestamp) AS ns, "
        + "intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000) AS e, "
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
        + "Timestamp <= fromUnixTimestamp64Micro(" + span[1] + ") UNION ALL " + counted + ") ORDER BY t");
  }

  /** The rows of {@code memtrace_key_notification_status}, oldest first, as {@link RecordTables} reads them. */
  ResultTable statuses() {
    return source.query("SELECT toUnixTimestamp64Micro(toDateTime64(Time, 6)) AS t, toString(Redis) "
        + "AS redis, toString(State) AS state, NotifyConfig AS notify_config, "
        + "toInt64(DroppedRate + DroppedSampled + DroppedQueue) AS dropped, nullIf(Namespaces, '') AS namespaces, "
        + "DroppedNamespaces AS dropped_namespaces FROM memtrace_key_notification_status ORDER BY Time");
  }
}
