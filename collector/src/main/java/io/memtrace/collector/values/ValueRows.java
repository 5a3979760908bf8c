package io.memtrace.collector.values;

import io.memtrace.common.Glob;
import io.memtrace.collector.query.ResultTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The captured values of a result whose columns are the {@code key_value} table's, with the time as {@code t_us}
 * (epoch microseconds): each store's SQL answers with these columns, and this reads them the same way for both.
 */
public final class ValueRows {

  /** The columns each store's statement selects, in this order. */
  public static final String COLUMNS = "trace_id, span_id, seq, t_us, service_name, redis, db, namespace, key, "
      + "operation, change, type, base64, value, size, truncated";

  private ValueRows() {
  }

  public static List<CapturedValue> read(ResultTable t) {
    List<CapturedValue> values = new ArrayList<>(t.size());
    for (int i = 0; i < t.size(); i++) {
      long micros = t.number(i, "t_us");
      values.add(new CapturedValue(t.text(i, "trace_id"), t.text(i, "span_id"), (int) t.number(i, "seq"),
          Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L),
          empty(t.text(i, "service_name")), empty(t.text(i, "redis")), (int) t.number(i, "db"),
          empty(t.text(i, "namespace")), t.text(i, "key"), empty(t.text(i, "operation")),
          ValueChange.fromWire(t.text(i, "change")), empty(t.text(i, "type")), Boolean.TRUE.equals(t.bool(i, "base64")),
          t.text(i, "value"), t.number(i, "size"), Boolean.TRUE.equals(t.bool(i, "truncated"))));
    }
    return values;
  }

  /** The request's namespace glob as an anchored regular expression (RE2 reads it in both stores). */
  public static String namespaceRegex(ValuesRequest request) {
    return "(?s)^" + Glob.toRegex(request.namespace()) + "$";
  }

  private static String empty(String s) {
    return s == null ? "" : s;
  }
}
