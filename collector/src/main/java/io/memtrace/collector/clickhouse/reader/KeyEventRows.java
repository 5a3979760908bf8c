package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.lineage.CommandAccess;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code memtrace_ops} does not hold of a key's operations, read from the spans and added to its rows so that
 * they are the rows the embedded store's key events give: the commands of pipelines and transactions, from the
 * {@link LineageViews#BATCH_COMMAND} events of their spans ({@link #batchCommands}, {@link #withBatchCommands}), and
 * two facts of a single command's span, a delete that removed nothing and a span that named no database ({@link
 * #withSpanFacts}). A record's timeline ({@link ClickHouseTimeline}) and the changes of a namespace ({@link
 * ClickHouseKeyChanges}) read them.
 */
final class KeyEventRows {

  private KeyEventRows() {
  }

  /**
   * The two facts of a Redis span that {@code memtrace_ops} does not keep, as the embedded store's key events give
   * them: a delete whose reply ({@code memory.result_count}) is 0 removed nothing, so its kind is {@code other}
   * ({@link LineageViews#NOTHING_REMOVED}); and a span that named no database (ioredis's), which the ops row's store
   * calls database 0, has none. Read from the typed spans ({@link TypedSpans}) for those of the record's spans only.
   */
  static ResultTable withSpanFacts(SqlSource source, ResultTable spans) {
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
   * key events) whose key is of the record ({@code batch}, rows of {@link #batchCommands} over the event's key), as
   * the embedded store's key events take it: the batch span's ids, times, place and status, the command's key,
   * namespace, size and TTL, and its access by the same table ({@link CommandAccess#forKeyEvents}), a delete whose
   * reply says it removed nothing being {@code other}.
   */
  static ResultTable withBatchCommands(ResultTable spans, ResultTable batch) {
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
    return "SELECT toUnixTimestamp64Micro(Timestamp) AS t, "
        + "intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000) AS e, "
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
}
