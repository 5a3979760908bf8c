package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.reader.KeyChangesRequest;
import io.memtrace.collector.timeline.KeyRecord;
import io.memtrace.collector.travel.KeyChangeRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The key changes of a namespace from the fleet store: the Redis commands of {@code memtrace_ops} (a Redis command's
 * store is {@code host:port/db}) and of pipelines' and transactions' spans that are not reads, and
 * {@code memtrace_key_notifications}, by their end, named as
 * {@link KeyChangeRows} reads them, so the embedded store's answer comes out.
 */
final class ClickHouseKeyChanges {

  private ClickHouseKeyChanges() {
  }

  static List<KeyChange> changes(SqlSource source, KeyChangesRequest request) {
    String like = ClickHouseTraces.literal(request.likePattern());
    String ttl = KeyRecord.TTL_COMMANDS.stream().sorted().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
    String from = request.from() == null ? "" : " AND e >= " + request.fromUs();
    String range = from + " AND e < " + request.toUs();
    List<KeyChange> changes = new ArrayList<>(KeyChangeRows.read(source.query("SELECT " + KeyChangeRows.COLUMNS
        + " FROM (SELECT toUnixTimestamp64Micro(Timestamp) AS t, "
        + "intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000) AS e, 'span' AS source, "
        + "splitByChar('/', Store)[1] AS redis, toInt32OrNull(splitByChar('/', Store)[2]) AS db, Key AS key, "
        + "toString(Namespace) AS namespace, if(upper(Operation) IN (" + ttl + "), 'ttl', toString(Access)) AS kind, "
        + "Operation AS event, TraceId AS trace_id, SpanId AS span_id, ServiceName AS service_name, Ttl AS ttl, "
        + "Error = 1 AS error FROM memtrace_ops WHERE Store != '' AND kind != 'read' AND namespace LIKE " + like
        + range
        + " UNION ALL SELECT toUnixTimestamp64Micro(Timestamp) AS t, t AS e, 'notification' AS source, Store AS redis, "
        + "toInt32(Db) AS db, Key AS key, toString(Namespace) AS namespace, toString(Kind) AS kind, "
        + "toString(Event) AS event, NULL AS trace_id, NULL AS span_id, NULL AS service_name, NULL AS ttl, "
        + "false AS error FROM memtrace_key_notifications WHERE namespace LIKE " + like + range
        + ") ORDER BY e, t, source, key LIMIT " + request.limit())));
    // the commands of pipelines and transactions, which the ops rows do not hold, as the embedded store's key events
    ResultTable batch = source.query(KeyEventRows.batchCommands("coalesce(nullIf(ev.2['memory.namespace'], ''), "
        + "'') LIKE " + like + range));
    java.util.Map<String, String> access = io.memtrace.collector.lineage.CommandAccess.forKeyEvents();
    for (int i = 0; i < batch.size(); i++) {
      String kind = KeyEventRows.batchKind(batch, i, access);
      if (!kind.equals("read")) {
        Object db = batch.value(i, "db");
        Object ttlSet = batch.value(i, "ttl");
        changes.add(new KeyChange(batch.number(i, "t"), batch.number(i, "e"), "span", batch.text(i, "redis"),
            db == null ? 0 : ((Number) db).intValue(), batch.text(i, "key"), batch.text(i, "namespace"), kind,
            batch.text(i, "event"), batch.text(i, "trace_id"), batch.text(i, "span_id"),
            batch.text(i, "service_name"), ttlSet == null ? null : ((Number) ttlSet).longValue(),
            Boolean.TRUE.equals(batch.value(i, "error")) || "1".equals(String.valueOf(batch.value(i, "error")))));
      }
    }
    changes.sort(Comparator.comparingLong(KeyChange::endUs).thenComparingLong(KeyChange::timeUs)
        .thenComparing(KeyChange::source).thenComparing(KeyChange::key));
    return changes.size() > request.limit() ? List.copyOf(changes.subList(0, request.limit())) : changes;
  }
}
