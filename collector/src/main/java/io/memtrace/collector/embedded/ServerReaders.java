package io.memtrace.collector.embedded;

import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreUnavailableException;
import io.memtrace.collector.store.SpanStore;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

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
    return open(false, source -> source);
  }

  /**
   * As {@link #open()}, its statements run through {@code through} (which closes what it is given when it closes).
   *
   * @param waitLoaded whether to wait first, as {@code /api/query} does, for the spans acknowledged before it
   * @throws StoreUnavailableException when the store cannot give a connection (it is closing, or failed)
   */
  public StoreReader open(boolean waitLoaded, UnaryOperator<SqlSource> through) {
    try {
      long pending = waitLoaded ? store.awaitLoaded() : store.pendingSpans();
      return new EmbeddedReader(through.apply(StoreSqlSource.snapshot(store.newConnection(), limits)), pending);
    } catch (SQLException e) {
      throw new StoreUnavailableException(e.getMessage(), e);
    }
  }
}
