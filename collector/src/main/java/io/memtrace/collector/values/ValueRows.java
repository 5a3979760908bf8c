package io.memtrace.collector.values;

import io.memtrace.common.Glob;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.RowCursor;
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
    return read(RowCursor.of(t));
  }

  /** The same from a cursor; each column's position looked up once. */
  public static List<CapturedValue> read(RowCursor t) {
    int trace = t.column("trace_id");
    int span = t.column("span_id");
    int seq = t.column("seq");
    int time = t.column("t_us");
    int service = t.column("service_name");
    int redis = t.column("redis");
    int db = t.column("db");
    int namespace = t.column("namespace");
    int key = t.column("key");
    int operation = t.column("operation");
    int change = t.column("change");
    int type = t.column("type");
    int base64 = t.column("base64");
    int value = t.column("value");
    int size = t.column("size");
    int truncated = t.column("truncated");
    List<CapturedValue> values = new ArrayList<>();
    while (t.next()) {
      long micros = zero(t.number(time));
      values.add(new CapturedValue(t.text(trace), t.text(span), (int) zero(t.number(seq)),
          Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L),
          empty(t.text(service)), empty(t.text(redis)), (int) zero(t.number(db)), empty(t.text(namespace)),
          t.text(key), empty(t.text(operation)), ValueChange.fromWire(t.text(change)), empty(t.text(type)),
          Boolean.TRUE.equals(t.bool(base64)), t.text(value), zero(t.number(size)),
          Boolean.TRUE.equals(t.bool(truncated))));
    }
    return values;
  }

  private static long zero(Long n) {
    return n == null ? 0 : n;
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
