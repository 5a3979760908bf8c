package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ConnectionSqlSource;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.QueryRunner;
import io.memtrace.collector.query.SqlSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The running server's own store as a {@link SqlSource}, for analyses the server runs itself: the
 * same read-only path and limits as {@code /api/query}.
 */
final class StoreSqlSource extends ConnectionSqlSource {

  StoreSqlSource(Connection connection, QueryLimits limits) {
    super(connection, limits);
  }

  /**
   * A source whose statements all read the store as it was when it opened ({@link QueryRunner#beginSnapshot}): what
   * a running server's reader asks while spans are loaded, so that one report, page or look is of one state.
   */
  static StoreSqlSource snapshot(Connection connection, QueryLimits limits) throws SQLException {
    StoreSqlSource source = new StoreSqlSource(connection, limits);
    try {
      QueryRunner.beginSnapshot(connection);
    } catch (SQLException e) {
      source.close();
      throw e;
    }
    return source;
  }

  @Override
  public String describe() {
    return "this collector's store";
  }

  @Override
  public void close() {
    try {
      QueryRunner.endSnapshot(connection);
    } catch (SQLException ignored) {
      // closing the connection ends its transaction too
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // a read-only connection: nothing to lose
    }
  }
}
