package io.memtrace.collector.query;

import io.memtrace.collector.Log;
import io.memtrace.collector.store.Database;
import io.memtrace.collector.store.IngestLog;
import io.memtrace.collector.store.StoreFiles;
import java.sql.Connection;
import java.sql.SQLException;

/** The data directory opened read-only, for when no server is running on it. */
public final class LocalSqlSource implements SqlSource {

  private final StoreFiles files;
  private final Connection connection;
  private final OwnStatements own = new OwnStatements();
  private final QueryLimits limits;

  /** The store's files, each query within {@link QueryLimits#DEFAULT}, as the local commands run them. */
  public LocalSqlSource(StoreFiles files) {
    this(files, QueryLimits.DEFAULT);
  }

  public LocalSqlSource(StoreFiles files, QueryLimits limits) {
    this.files = files;
    this.limits = limits;
    this.connection = Database.openReadOnly(files);
    String pending = IngestLog.pendingNote(files.ingestLog());
    if (pending != null) {
      Log.warn(pending);
    }
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
    return files.database() + " (read-only)";
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing was written; closing a read-only connection cannot lose anything
    }
  }
}
