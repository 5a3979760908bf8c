package io.memtrace.collector.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an {@link IngestLog} has acknowledged and its writer not yet loaded: the figures its bounds are checked
 * against (rows kept in memory, bytes logged and not loaded) and the barrier a query waits at. Updated by the
 * log's thread as it acknowledges, by the writer's as it loads, and read by request threads.
 */
final class LogBacklog {

  /** Rows are kept for the writer only while fewer spans than this wait to be loaded (a quarter second at 60k/s). */
  static final long CACHE_BACKLOG_SPANS = 16_384;

  private final long cacheBytes;
  private final long maxUnloadedBytes;
  /** Records appended and forced; the barrier a query waits for ({@link #awaitLoaded}). */
  private final AtomicLong acknowledgedThrough = new AtomicLong();
  private final AtomicLong loadedThrough = new AtomicLong();
  private final AtomicLong unloadedBytes = new AtomicLong();
  private final AtomicLong unloadedSpans = new AtomicLong();
  private final AtomicLong cachedBytes = new AtomicLong();
  private final Object loadedSignal = new Object();

  /**
   * @param cacheBytes the most bytes of bodies whose rows are kept in memory for the writer at once
   * @param maxUnloadedBytes past this many bytes logged and not loaded, requests are refused
   */
  LogBacklog(long cacheBytes, long maxUnloadedBytes) {
    this.cacheBytes = cacheBytes;
    this.maxUnloadedBytes = maxUnloadedBytes;
  }

  /** Where the log stands when it opens; before any request is logged or loaded. */
  void start(long acknowledged, long loaded) {
    acknowledgedThrough.set(acknowledged);
    loadedThrough.set(loaded);
  }

  /**
   * Whether the rows of a request whose body has {@code bodyBytes} are kept in memory for the writer; when they are,
   * they count against the bound until {@link #uncache}. Behind a backlog, rows kept would wait long enough to
   * reach the old generation: decoding again costs less.
   */
  boolean cache(int bodyBytes) {
    if (unloadedSpans.get() >= CACHE_BACKLOG_SPANS) {
      return false;
    }
    if (cachedBytes.addAndGet(bodyBytes) > cacheBytes) {
      cachedBytes.addAndGet(-bodyBytes);
      return false;
    }
    return true;
  }

  void uncache(int bodyBytes) {
    cachedBytes.addAndGet(-bodyBytes);
  }

  /** Why the log takes no more requests now (too much logged and not yet loaded), or null when it does. */
  String full() {
    long unloaded = unloadedBytes.get();
    if (unloaded <= maxUnloadedBytes) {
      return null;
    }
    return "the ingest log holds " + (unloaded >> 20) + " MiB (" + unloadedSpans.get() + " spans) acknowledged and "
        + "not yet loaded into the store, over its bound of " + (maxUnloadedBytes >> 20) + " MiB; retry once the "
        + "store has caught up";
  }

  /** A record of {@code recordBytes} holding {@code spans} is on disk, to be loaded. */
  void logged(int recordBytes, int spans) {
    unloadedBytes.addAndGet(recordBytes);
    unloadedSpans.addAndGet(spans);
  }

  /** Every record through {@code position} is on disk and acknowledged. */
  void acknowledged(long position) {
    acknowledgedThrough.set(position);
  }

  /** The record at {@code position} is loaded (or given up); wakes whoever waits for it. */
  void loaded(int recordBytes, int spans, long position) {
    unloadedBytes.addAndGet(-recordBytes);
    unloadedSpans.addAndGet(-spans);
    loadedThrough.accumulateAndGet(position, Math::max);
    synchronized (loadedSignal) {
      loadedSignal.notifyAll();
    }
  }

  long acknowledgedThrough() {
    return acknowledgedThrough.get();
  }

  long loadedThrough() {
    return loadedThrough.get();
  }

  /**
   * Waits until every request acknowledged before the call is loaded, or {@code timeoutMillis} pass; returns the
   * spans still waiting then (0 when all are loaded).
   */
  long awaitLoaded(long timeoutMillis) throws InterruptedException {
    long target = acknowledgedThrough.get();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (loadedSignal) {
      while (loadedThrough.get() < target) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return unloadedSpans.get();
        }
        loadedSignal.wait(Math.min(left, 100));
      }
    }
    return 0;
  }

  /** Waits, with no bound, until every request logged so far is loaded (or given up as unreadable). */
  void awaitAllLoaded() throws InterruptedException {
    long target = acknowledgedThrough.get();
    synchronized (loadedSignal) {
      while (loadedThrough.get() < target) {
        loadedSignal.wait(100);
      }
    }
  }

  long unloadedSpans() {
    return unloadedSpans.get();
  }

  long unloadedBytes() {
    return unloadedBytes.get();
  }
}
