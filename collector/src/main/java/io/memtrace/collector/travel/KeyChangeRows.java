package io.memtrace.collector.travel;

import io.memtrace.collector.query.ResultTable;
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
    List<KeyChange> changes = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Long ttl = number(rows.value(i, "ttl"));
      Long db = number(rows.value(i, "db"));
      Object error = rows.value(i, "error");
      changes.add(new KeyChange(number(rows.value(i, "t")), number(rows.value(i, "e")), rows.text(i, "source"),
          empty(rows.text(i, "redis")), db == null ? 0 : db.intValue(), rows.text(i, "key"),
          empty(rows.text(i, "namespace")), rows.text(i, "kind"), rows.text(i, "event"), empty(rows.text(i, "trace_id")),
          empty(rows.text(i, "span_id")), empty(rows.text(i, "service_name")), ttl,
          error != null && (Boolean.TRUE.equals(error) || "1".equals(error.toString())
              || "true".equalsIgnoreCase(error.toString()))));
    }
    return changes;
  }

  private static String empty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Long number(Object v) {
    return v == null ? null : v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
  }
}
