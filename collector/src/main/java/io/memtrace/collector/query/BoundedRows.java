package io.memtrace.collector.query;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a result set's rows into a {@link ResultTable} for {@link QueryRunner}, as the driver hands them over, and
 * stops at the first bound the next row would pass: the query's rows and bytes ({@link QueryLimits}), or what the
 * queries running at once leave of the heap's share ({@link ResultBudget}). A table cut short says where and why
 * ({@link ResultTable#truncation}). A row's bytes are counted as the JSON text it becomes.
 */
final class BoundedRows {

  private BoundedRows() {
  }

  /** The rows within {@code limits}, and within what the collector's shared budget leaves. */
  static ResultTable read(ResultSet rs, QueryLimits limits) throws SQLException {
    return read(rs, limits, ResultBudget.SHARED);
  }

  /** The rows within {@code limits}, and within what {@code budget} leaves while they are read. */
  static ResultTable read(ResultSet rs, QueryLimits limits, ResultBudget budget) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int count = meta.getColumnCount();
    List<ResultTable.Column> columns = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      columns.add(new ResultTable.Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
    }
    List<List<Object>> rows = new ArrayList<>();
    long bytes = 0;
    try {
      while (rs.next()) {
        if (rows.size() == limits.maxRows()) {
          return new ResultTable(columns, rows, "the first " + limits.maxRows() + " rows");
        }
        List<Object> row = new ArrayList<>(count);
        long rowBytes = 0;
        for (int i = 1; i <= count; i++) {
          Object value = ResultValues.plain(rs.getObject(i));
          rowBytes += textSize(value) + 1;
          row.add(value);
        }
        if (bytes + rowBytes > limits.maxBytes()) {
          return new ResultTable(columns, rows, "the first " + rows.size() + " rows, as the next one would pass "
              + limits.maxBytes() + " bytes");
        }
        if (!budget.take(rowBytes)) {
          return new ResultTable(columns, rows, "the first " + rows.size() + " rows, as the next one would pass the "
              + budget.limit() + " bytes that the results of all queries running at once may hold (a quarter of the "
              + "collector's heap)");
        }
        bytes += rowBytes;
        rows.add(row);
      }
      return new ResultTable(columns, rows, false);
    } finally {
      budget.giveBack(bytes);
    }
  }

  /** About how many bytes a value takes as JSON text. */
  private static long textSize(Object value) {
    if (value instanceof String) {
      return ((String) value).length() + 2L;
    }
    if (value instanceof List) {
      long n = 2;
      for (Object item : (List<?>) value) {
        n += textSize(item) + 1;
      }
      return n;
    }
    if (value instanceof Map) {
      long n = 2;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        n += String.valueOf(e.getKey()).length() + 4L + textSize(e.getValue());
      }
      return n;
    }
    return value == null ? 4 : String.valueOf(value).length();
  }
}
