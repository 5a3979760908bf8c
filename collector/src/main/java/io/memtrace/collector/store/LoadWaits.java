package io.memtrace.collector.store;

import io.memtrace.collector.Log;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The waits of queries for the trace requests acknowledged before them to be loaded from the {@link IngestLog}, so
 * that each reads its own writes: bounded, since a backlog can take minutes to load, counted, and said in the log at
 * most once a minute when a query runs without the rest.
 */
final class LoadWaits {

  private final long waitMillis;
  private final AtomicLong waits = new AtomicLong();
  /** When a query last said it ran without spans still to be loaded. */
  private volatile long behindSaidAt;

  LoadWaits(long waitMillis) {
    this.waitMillis = waitMillis;
  }

  /**
   * Waits, up to the bound, for every trace request {@code log} acknowledged before the call to be loaded; returns the
   * spans still waiting when it gave up (0 when all were loaded).
   */
  long await(IngestLog log) throws SQLException {
    if (log.unloadedSpans() > 0) {
      waits.incrementAndGet();
    }
    try {
      long behind = log.awaitLoaded(waitMillis);
      long now = System.currentTimeMillis();
      if (behind > 0 && now - behindSaidAt >= 60_000) {
        behindSaidAt = now;
        Log.warn("a query waited " + waitMillis / 1000 + " s for acknowledged spans to be loaded and runs "
            + "without the last " + behind + " (the store is loading a backlog; /api/status ingest_log says how "
            + "far behind it is; said at most once a minute)");
      }
      return behind;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for acknowledged spans to be loaded");
    }
  }

  /** How many calls of {@link #await} found acknowledged spans still to be loaded, and so waited for them. */
  long count() {
    return waits.get();
  }
}
