package io.memtrace.collector.clickhouse.reader;

import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.data.ClickHouseColumn;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ClickHouse as a {@link SqlSource}: every statement read-only and bounded by ClickHouse itself, with the
 * collector's query limits as ClickHouse's own settings ({@code readonly}, {@code max_execution_time},
 * {@code max_result_rows}, {@code max_result_bytes}), and the rows as the plain values of a {@link ResultTable}.
 */
final class ClickHouseRows implements SqlSource {

  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private final ClickHouseSession session;
  private final Map<String, String> settings;
  private final int maxRows;

  ClickHouseRows(ClickHouseSession session, QueryLimits limits) {
    this.session = session;
    this.maxRows = limits.maxRows();
    Map<String, String> s = new LinkedHashMap<>();
    // 2, not 1: reading only, but the settings below may still be sent with each query
    s.put("readonly", "2");
    s.put("max_execution_time", String.valueOf(Math.max(1, limits.timeout().toSeconds())));
    // one row more than shown, so that a cut result says so; break rather than fail, as the embedded store does
    s.put("max_result_rows", String.valueOf(limits.maxRows() + 1L));
    s.put("max_result_bytes", String.valueOf(limits.maxBytes()));
    s.put("result_overflow_mode", "break");
    this.settings = Map.copyOf(s);
  }

  /** The settings each statement runs under. */
  Map<String, String> settings() {
    return settings;
  }

  @Override
  public ResultTable query(String sql) {
    return session.read(sql, settings, ClickHouseRows::table);
  }

  /** Reads every row, the values plain: numbers as Long or Double, times as text, arrays as lists. */
  private static ResultTable table(ClickHouseBinaryFormatReader reader) {
    List<ClickHouseColumn> columns = reader.getSchema().getColumns();
    List<ResultTable.Column> out = new ArrayList<>();
    for (ClickHouseColumn c : columns) {
      out.add(new ResultTable.Column(c.getColumnName(), type(c)));
    }
    List<List<Object>> rows = new ArrayList<>();
    while (reader.hasNext()) {
      reader.next();
      List<Object> row = new ArrayList<>(columns.size());
      for (int i = 1; i <= columns.size(); i++) {
        row.add(reader.hasValue(i) ? plain(reader.readValue(i)) : null);
      }
      rows.add(row);
    }
    return new ResultTable(out, rows, false);
  }

  /** The column's type in the words the views use (the embedded store's). */
  static String type(ClickHouseColumn column) {
    return switch (column.getDataType()) {
      case Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Int128, UInt128 -> "BIGINT";
      case Float32, Float64, Decimal, Decimal32, Decimal64, Decimal128 -> "DOUBLE";
      case Bool -> "BOOLEAN";
      case DateTime, DateTime32, DateTime64, Date, Date32 -> "TIMESTAMP";
      case Array -> type(column.getArrayBaseColumn()) + "[]";
      case Map -> "MAP";
      case Tuple -> "STRUCT";
      default -> "VARCHAR";
    };
  }

  static Object plain(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.doubleValue();
    }
    if (value instanceof ZonedDateTime time) {
      return TIMESTAMP.format(time.withZoneSameInstant(ZoneOffset.UTC));
    }
    if (value instanceof java.time.LocalDateTime time) {
      return TIMESTAMP.format(time);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(plain(k), plain(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value instanceof Object[] array) {
      List<Object> out = new ArrayList<>();
      for (Object v : array) {
        out.add(plain(v));
      }
      return out;
    }
    if (value instanceof com.clickhouse.client.api.data_formats.internal.BinaryStreamReader.ArrayValue array) {
      return plain(array.asList());
    }
    if (value.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
        out.add(plain(java.lang.reflect.Array.get(value, i)));
      }
      return out;
    }
    return value.toString();
  }

  @Override
  public String describe() {
    return "ClickHouse at " + session.url();
  }

  @Override
  public void close() {
    session.close();
  }

  /** A statement's rows past the limit, which ClickHouse cut (result_overflow_mode=break). */
  ResultTable bounded(String sql) {
    ResultTable table = query(sql);
    if (table.size() <= maxRows) {
      return table;
    }
    return new ResultTable(table.columns(), table.rows().subList(0, maxRows), "the first " + maxRows + " rows");
  }

  static CollectorException refused(String why) {
    return new CollectorException("query refused: " + why);
  }
}
