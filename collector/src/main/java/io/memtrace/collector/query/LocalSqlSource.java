package io.memtrace.collector.query;

import io.memtrace.collector.Log;
import io.memtrace.collector.store.Database;
import io.memtrace.collector.store.IngestLog;
import io.memtrace.collector.store.StoreFiles;
import java.sql.SQLException;

/** The data directory opened read-only, for when no server is running on it. */
public final class LocalSqlSource extends ConnectionSqlSource {

  private final StoreFiles files;

  /** The store's files, each query within {@link QueryLimits#DEFAULT}, as the local commands run them. */
  public LocalSqlSource(StoreFiles files) {
    this(files, QueryLimits.DEFAULT);
  }

  public LocalSqlSource(StoreFiles files, QueryLimits limits) {
    super(Database.openReadOnly(files), limits);
    this.files = files;
    String pending = IngestLog.pendingNote(files.ingestLog());
    if (pending != null) {
      Log.warn(pending);
    }
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
