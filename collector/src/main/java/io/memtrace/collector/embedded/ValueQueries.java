package io.memtrace.collector.embedded;

import io.memtrace.collector.query.PackedText;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueRows;
import io.memtrace.collector.values.ValuesRequest;
import java.util.List;

/** {@code capturedValues} on the embedded store: the {@code key_value} table in DuckDB SQL. */
final class ValueQueries {

  private static final ValueRows.Dialect DUCKDB = new ValueRows.Dialect("key",
      "regexp_full_match(coalesce(namespace, ''), %s)", "time", "time, trace_id, span_id, seq", TraceQueries::literal,
      t -> "make_timestamp(" + ValueRows.micros(t) + ")");

  /** The text columns, read packed into one ({@link PackedText}). */
  private static final List<String> TEXT = List.of("trace_id", "span_id", "service_name", "redis", "namespace", "key",
      "operation", "change", "type", "value");
  /** The same but the value, which one key's read takes as a column of its own. */
  private static final List<String> TEXT_BUT_VALUE = TEXT.subList(0, TEXT.size() - 1);

  private ValueQueries() {
  }

  /**
   * Whether the store has the {@code key_value} table: a store written before values were kept, opened read-only,
   * has none, and holds no values. A table once made is never dropped, so a yes may be kept by the caller.
   */
  static boolean kept(SqlSource source) {
    return source.queryOwn("SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main' "
        + "AND table_name = 'key_value'").number(0, "n") > 0;
  }

  /** The captured values asked, from a store that has the table ({@link #kept}). */
  static List<CapturedValue> values(SqlSource source, ValuesRequest request) {
    // one key's values (its versions) are few and may be large: each value is a cell of its own, which the driver
    // hands over once, rather than a part of a packed row that is then split and copied; a namespace's (a rebuild) are
    // many and mostly small, and are read packed whole
    boolean ofKey = request.key() != null;
    List<String> packed = ofKey ? TEXT_BUT_VALUE : TEXT;
    return source.readOwn("SELECT seq, epoch_us(time) AS t_us, db, base64, size, truncated, " + (ofKey ? "value, " : "")
        + PackedText.sql(packed, "packed") + " FROM key_value" + ValueRows.whereOrderLimit(request, DUCKDB),
        rows -> ValueRows.read(PackedText.cursor(rows, "packed", packed)));
  }
}
