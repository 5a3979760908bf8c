package io.memtrace.collector.values;

import io.memtrace.common.Glob;
import io.memtrace.collector.query.ResultTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The captured values of a result whose columns are the {@code key_value} table's, with the time as {@code t_us}
 * (epoch microseconds): each store's SQL answers with these columns, and this reads them the same way for both.
 */
public final class ValueRows {

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

  /**
   * How a store's SQL names what the question needs: its columns, a text literal, a time literal, and a full match
   * of the namespace column against a regular expression literal ({@code %s}).
   */
  public record Dialect(String key, String namespaceMatch, String time, String order, Function<String, String> text,
      Function<Instant, String> instant) {
  }

  /**
   * The question's {@code WHERE} condition (the key, or the namespace glob matched whole; from inclusive, to
   * exclusive) and its order and bound (oldest first, in the order written), in {@code d}'s words: one rule for both
   * stores.
   */
  public static String whereOrderLimit(ValuesRequest request, Dialect d) {
    StringBuilder sql = new StringBuilder(" WHERE ");
    if (request.key() != null) {
      sql.append(d.key()).append(" = ").append(d.text().apply(request.key()));
    } else {
      sql.append(String.format(d.namespaceMatch(),
          d.text().apply("(?s)^" + Glob.toRegex(request.namespace()) + "$")));
    }
    if (request.from() != null) {
      sql.append(" AND ").append(d.time()).append(" >= ").append(d.instant().apply(request.from()));
    }
    if (request.to() != null) {
      sql.append(" AND ").append(d.time()).append(" < ").append(d.instant().apply(request.to()));
    }
    return sql.append(" ORDER BY ").append(d.order()).append(" LIMIT ").append(request.limit()).toString();
  }

  /** An instant in epoch microseconds, as both stores' time literals take it. */
  public static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  private static String empty(String s) {
    return s == null ? "" : s;
  }
}
