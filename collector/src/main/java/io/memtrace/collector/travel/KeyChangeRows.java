package io.memtrace.collector.travel;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.RowCursor;
import io.memtrace.collector.reader.KeyChange;
import java.util.ArrayList;
import java.util.List;

/**
 * A store's answer to {@code keyChanges} as {@link KeyChange}s. Each store's SQL names its columns
 * {@code t, e, source, redis, db, key, namespace, kind, event, trace_id, span_id, service_name, ttl, error}
 * (times in epoch microseconds), so the rows are read one way.
 */
public final class KeyChangeRows {

  /** The columns each store's statement gives, in this order. */
  public static final String COLUMNS = "t, e, source, redis, db, key, namespace, kind, event, trace_id, span_id, "
      + "service_name, ttl, error";

  private KeyChangeRows() {
  }

  public static List<KeyChange> read(ResultTable rows) {
    return read(RowCursor.of(rows));
  }

  /** The same from a cursor; each column's position looked up once. */
  public static List<KeyChange> read(RowCursor rows) {
    int t = rows.column("t");
    int e = rows.column("e");
    int source = rows.column("source");
    int redis = rows.column("redis");
    int db = rows.column("db");
    int key = rows.column("key");
    int namespace = rows.column("namespace");
    int kind = rows.column("kind");
    int event = rows.column("event");
    int trace = rows.column("trace_id");
    int span = rows.column("span_id");
    int service = rows.column("service_name");
    int ttl = rows.column("ttl");
    int error = rows.column("error");
    List<KeyChange> changes = new ArrayList<>();
    while (rows.next()) {
      Long d = rows.number(db);
      Object failed = rows.value(error);
      changes.add(new KeyChange(rows.number(t), rows.number(e), rows.text(source), empty(rows.text(redis)),
          d == null ? 0 : d.intValue(), rows.text(key), empty(rows.text(namespace)), rows.text(kind),
          rows.text(event), empty(rows.text(trace)), empty(rows.text(span)), empty(rows.text(service)),
          rows.number(ttl), failed != null && (Boolean.TRUE.equals(failed) || "1".equals(failed.toString())
              || "true".equalsIgnoreCase(failed.toString()))));
    }
    return changes;
  }

  private static String empty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
