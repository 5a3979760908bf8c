package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.reader.KeyChangesRequest;
import io.memtrace.collector.timeline.KeyRecord;
import io.memtrace.collector.travel.KeyChangeRows;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The key changes of a namespace from the fleet store: the Redis commands of {@code memtrace_ops} (a Redis command's
 * store is {@code host:port/db}) that are not reads, and {@code memtrace_key_notifications}, by their end, named as
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
    return KeyChangeRows.read(source.query("SELECT " + KeyChangeRows.COLUMNS + " FROM ("
        + "SELECT toUnixTimestamp64Micro(Timestamp) AS t, t + intDiv(Duration, 1000) AS e, 'span' AS source, "
        + "splitByChar('/', Store)[1] AS redis, toInt32OrNull(splitByChar('/', Store)[2]) AS db, Key AS key, "
        + "toString(Namespace) AS namespace, if(upper(Operation) IN (" + ttl + "), 'ttl', toString(Access)) AS kind, "
        + "Operation AS event, TraceId AS trace_id, SpanId AS span_id, ServiceName AS service_name, Ttl AS ttl, "
        + "Error = 1 AS error FROM memtrace_ops WHERE Store != '' AND kind != 'read' AND namespace LIKE " + like
        + range
        + " UNION ALL SELECT toUnixTimestamp64Micro(Timestamp) AS t, t AS e, 'notification' AS source, Store AS redis, "
        + "toInt32(Db) AS db, Key AS key, toString(Namespace) AS namespace, toString(Kind) AS kind, "
        + "toString(Event) AS event, NULL AS trace_id, NULL AS span_id, NULL AS service_name, NULL AS ttl, "
        + "false AS error FROM memtrace_key_notifications WHERE namespace LIKE " + like + range
        + ") ORDER BY e, t, source, key LIMIT " + request.limit()));
  }
}
