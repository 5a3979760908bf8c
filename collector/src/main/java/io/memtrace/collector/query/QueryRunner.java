package io.memtrace.collector.query;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.store.AttributeTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.StatementReturnType;

/**
 * Runs one read-only query, its attribute lookups typed by {@link TypedAttributes}. Besides the
 * {@link SqlGuard}, the statement must prepare to a result set, and it runs in a transaction that
 * is always rolled back, so even a write that got past both checks would leave nothing behind.
 */
public final class QueryRunner {

  /** Rows returned at most; a bigger result is cut and marked truncated. */
  public static final int MAX_ROWS = 100_000;

  private QueryRunner() {
  }

  public static ResultTable run(Connection connection, String sql) {
    SqlGuard.check(sql);
    String typed = TypedAttributes.rewrite(sql, AttributeTypes.castTypes(connection));
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(typed)) {
        ResultSetMetaData meta = statement.getMetaData();
        if (meta instanceof DuckDBResultSetMetaData
            && ((DuckDBResultSetMetaData) meta).getReturnType() != StatementReturnType.QUERY_RESULT) {
          throw SqlGuard.rejected("the statement does not return rows");
        }
        try (ResultSet rs = statement.executeQuery()) {
          return read(rs);
        }
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new CollectorException("query failed: " + e.getMessage().strip(), e);
    }
  }

  private static ResultTable read(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int count = meta.getColumnCount();
    List<ResultTable.Column> columns = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      columns.add(new ResultTable.Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
    }
    List<List<Object>> rows = new ArrayList<>();
    boolean truncated = false;
    while (rs.next()) {
      if (rows.size() == MAX_ROWS) {
        truncated = true;
        break;
      }
      List<Object> row = new ArrayList<>(count);
      for (int i = 1; i <= count; i++) {
        row.add(ResultValues.plain(rs.getObject(i)));
      }
      rows.add(row);
    }
    return new ResultTable(columns, rows, truncated);
  }
}
