package io.memtrace.collector.embedded;

import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreUnavailableException;
import io.memtrace.collector.store.SpanStore;
import java.sql.SQLException;

/**
 * Readers of a running server's own store, one per request: each on a connection of its own, through the same
 * read-only path and limits as {@code /api/query}, reading what was loaded when it opened (every statement of one
 * reader the same state, however many spans load meanwhile) and counting the spans acknowledged and not yet loaded
 * then.
 */
public final class ServerReaders implements StoreReader.Factory {

  private final SpanStore store;
  private final QueryLimits limits;

  public ServerReaders(SpanStore store, QueryLimits limits) {
    this.store = store;
    this.limits = limits;
  }

  /** @throws StoreUnavailableException when the store cannot give a connection (it is closing, or failed) */
  @Override
  public StoreReader open() {
    long pending = store.pendingSpans();
    try {
      return new EmbeddedReader(StoreSqlSource.snapshot(store.newConnection(), limits), pending);
    } catch (SQLException e) {
      throw new StoreUnavailableException(e.getMessage(), e);
    }
  }
}
