package io.memtrace.collector.web;

import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.QueryRunner;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.RunningQuery;
import io.memtrace.collector.query.SqlSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The running server's own store as a {@link SqlSource}, for analyses the server runs itself: the
 * same read-only path and limits as {@code /api/query}, and a record of every statement, so a
 * page can show the SQL behind its numbers and a user can run it.
 */
final class StoreSqlSource implements SqlSource {

  private final Connection connection;
  private final QueryLimits limits;
  private final List<String> statements = new ArrayList<>();

  StoreSqlSource(Connection connection, QueryLimits limits) {
    this.connection = connection;
    this.limits = limits;
  }

  @Override
  public ResultTable query(String sql) {
    statements.add(sql);
    return QueryRunner.run(connection, sql, limits, RunningQuery.Client.LOCAL);
  }

  /** The statements run so far, in order. */
  List<String> statements() {
    return List.copyOf(statements);
  }

  @Override
  public String describe() {
    return "this collector's store";
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // a read-only connection: nothing to lose
    }
  }
}
