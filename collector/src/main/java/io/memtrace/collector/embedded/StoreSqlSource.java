package io.memtrace.collector.embedded;

import io.memtrace.collector.query.OwnStatements;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.QueryRunner;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.RunningQuery;
import io.memtrace.collector.query.RowCursor;
import io.memtrace.collector.query.SqlSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The running server's own store as a {@link SqlSource}, for analyses the server runs itself: the
 * same read-only path and limits as {@code /api/query}.
 */
final class StoreSqlSource implements SqlSource {

  private final Connection connection;
  private final QueryLimits limits;
  private final OwnStatements own = new OwnStatements();

  StoreSqlSource(Connection connection, QueryLimits limits) {
    this.connection = connection;
    this.limits = limits;
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
  public ResultTable query(String sql) {
    return QueryRunner.run(connection, sql, limits, RunningQuery.Client.LOCAL);
  }

  @Override
  public ResultTable queryWithValues(String sql) {
    return QueryRunner.run(connection, sql, limits, RunningQuery.Client.LOCAL, true);
  }

  @Override
  public ResultTable queryOwn(String sql) {
    return QueryRunner.runOwn(connection, sql, own, limits, RunningQuery.Client.LOCAL);
  }

  @Override
  public <T> T readOwn(String sql, java.util.function.Function<RowCursor, T> reader) {
    return QueryRunner.readOwn(connection, sql, own, limits, RunningQuery.Client.LOCAL, reader);
  }

  @Override
  public boolean streamsOwn() {
    return true;
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
