package io.memtrace.collector.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * A query result with plain values: {@code Long}, {@code Double}, {@code BigDecimal},
 * {@code BigInteger}, {@code String}, {@code Boolean}, lists, maps, or null. Times are text as
 * DuckDB prints them. Built the same way from a local connection and from the server's JSON.
 *
 * @param truncation null for a whole result; else what was kept of a result cut at a
 *                   {@link QueryLimits} bound, e.g. "the first 100000 rows"
 */
public record ResultTable(List<Column> columns, List<List<Object>> rows, String truncation) {

  public ResultTable(List<Column> columns, List<List<Object>> rows, boolean truncated) {
    this(columns, rows, truncated ? "some of the rows" : null);
  }

  /** Whether rows were left out. */
  public boolean truncated() {
    return truncation != null;
  }

  /** A column's name and its DuckDB type. */
  public record Column(String name, String type) {
  }

  public int size() {
    return rows.size();
  }

  public int column(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + name + " in " + columns);
  }

  public Object value(int row, String column) {
    return rows.get(row).get(column(column));
  }

  public String text(int row, String column) {
    Object v = value(row, column);
    return v == null ? null : v.toString();
  }

  public long number(int row, String column) {
    Object v = value(row, column);
    return v == null ? 0 : ((Number) v).longValue();
  }

  public Double decimal(int row, String column) {
    Object v = value(row, column);
    return v == null ? null : ((Number) v).doubleValue();
  }

  public Boolean bool(int row, String column) {
    Object v = value(row, column);
    return v instanceof Boolean ? (Boolean) v : v == null ? null : Boolean.valueOf(v.toString());
  }

  static boolean isInteger(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof BigInteger
        || v instanceof BigDecimal && ((BigDecimal) v).scale() <= 0;
  }
}
