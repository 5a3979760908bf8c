package io.memtrace.collector.embedded;

import io.memtrace.collector.query.PackedText;
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

  /** The text columns, read packed into one ({@link PackedText}). */
  private static final List<String> TEXT = List.of("source", "redis", "key", "namespace", "kind", "event", "trace_id",
      "span_id", "service_name");

  private KeyChangeQueries() {
  }

  static List<KeyChange> changes(SqlSource source, KeyChangesRequest request) {
    String namespace = "(namespace LIKE " + TraceQueries.literal(request.likePattern()) + " ESCAPE '\\'"
        + (request.namespace().equals("*") ? " OR namespace IS NULL" : "") + ")";
    String from = request.from() == null ? "" : " AND end_time >= make_timestamp(" + request.fromUs() + ")";
    return source.readOwn("SELECT epoch_us(time) AS t, epoch_us(end_time) AS e, db, ttl, "
        + "status_code = 'ERROR' AS error, " + PackedText.sql(TEXT, "packed")
        + " FROM key_record WHERE layer = 'redis' AND kind <> 'read' AND " + namespace + from
        + " AND end_time < make_timestamp(" + request.toUs() + ") ORDER BY end_time, time, source, key LIMIT "
        + request.limit(), rows -> KeyChangeRows.read(PackedText.cursor(rows, "packed", TEXT)));
  }
}
