package io.memtrace.collector.query;

import java.sql.Connection;
import java.util.function.Function;

/**
 * A store read through a connection of this process as a {@link SqlSource}: every statement a local client's, within
 * {@code limits}, the collector's own ones streamed uncapped. What the data directory opened read-only
 * ({@link LocalSqlSource}) and a running server's own store have in common; each says what it is and how it closes.
 */
public abstract class ConnectionSqlSource implements SqlSource {

  protected final Connection connection;
  private final QueryLimits limits;
  private final OwnStatements own = new OwnStatements();

  protected ConnectionSqlSource(Connection connection, QueryLimits limits) {
    this.connection = connection;
    this.limits = limits;
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
  public <T> T readOwn(String sql, Function<RowCursor, T> reader) {
    return QueryRunner.readOwn(connection, sql, own, limits, RunningQuery.Client.LOCAL, reader);
  }

  @Override
  public boolean streamsOwn() {
    return true;
  }
}
