package io.memtrace.collector.embedded;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueRows;
import io.memtrace.collector.values.ValuesRequest;
import java.time.Instant;
import java.util.List;

/** {@code capturedValues} on the embedded store: the {@code key_value} table in DuckDB SQL. */
final class ValueQueries {

  private ValueQueries() {
  }

  static List<CapturedValue> values(SqlSource source, ValuesRequest request) {
    // a store written before values were kept, opened read-only, has no such table: it holds no values
    if (source.queryOwn("SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main' "
        + "AND table_name = 'key_value'").number(0, "n") == 0) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT trace_id, span_id, seq, epoch_us(time) AS t_us, service_name, "
        + "redis, db, namespace, key, operation, change, type, base64, value, size, truncated FROM key_value WHERE ");
    if (request.key() != null) {
      sql.append("key = ").append(TraceQueries.literal(request.key()));
    } else {
      sql.append("regexp_full_match(coalesce(namespace, ''), ")
          .append(TraceQueries.literal(ValueRows.namespaceRegex(request))).append(')');
    }
    if (request.from() != null) {
      sql.append(" AND time >= ").append(timestamp(request.from()));
    }
    if (request.to() != null) {
      sql.append(" AND time < ").append(timestamp(request.to()));
    }
    sql.append(" ORDER BY time, trace_id, span_id, seq LIMIT ").append(request.limit());
    return ValueRows.read(source.queryOwn(sql.toString()));
  }

  private static String timestamp(Instant t) {
    return "make_timestamp(" + (t.getEpochSecond() * 1_000_000 + t.getNano() / 1000) + ")";
  }
}
