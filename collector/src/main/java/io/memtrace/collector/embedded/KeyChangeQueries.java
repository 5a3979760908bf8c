package io.memtrace.collector.embedded;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.reader.KeyChangesRequest;
import io.memtrace.collector.travel.KeyChangeRows;
import java.util.List;

/**
 * The key changes of a namespace from the embedded store: the Redis rows of {@code key_record} (the traced Redis
 * commands' key events and the keyspace notifications) that are not reads, by their end.
 */
final class KeyChangeQueries {

  private KeyChangeQueries() {
  }

  static List<KeyChange> changes(SqlSource source, KeyChangesRequest request) {
    String namespace = "(namespace LIKE " + TraceQueries.literal(request.likePattern()) + " ESCAPE '\\'"
        + (request.namespace().equals("*") ? " OR namespace IS NULL" : "") + ")";
    String from = request.from() == null ? "" : " AND end_time >= make_timestamp(" + request.fromUs() + ")";
    return source.readOwn("SELECT epoch_us(time) AS t, epoch_us(end_time) AS e, source, redis, "
        + "db, key, namespace, kind, event, trace_id, span_id, service_name, ttl, status_code = 'ERROR' AS error "
        + "FROM key_record WHERE layer = 'redis' AND kind <> 'read' AND " + namespace + from
        + " AND end_time < make_timestamp(" + request.toUs() + ") ORDER BY end_time, time, source, key LIMIT "
        + request.limit(), KeyChangeRows::read);
  }
}
