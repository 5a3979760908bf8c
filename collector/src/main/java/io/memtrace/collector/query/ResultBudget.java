package io.memtrace.collector.query;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The result bytes that the queries running at once may hold on the heap while they read their rows, all
 * together: a quarter of the heap. Each query's own bound ({@link QueryLimits#maxBytes}) does not add up:
 * four queries of 32 MiB each in a 64 MiB heap ran it out while DuckDB's driver was building a chunk of rows,
 * and the driver does not survive that (the JVM crashed in its native code, status 134, instead of a clean
 * OutOfMemoryError). A query that would pass the shared bound is cut there, as at its own.
 */
final class ResultBudget {

  /** The one the collector's queries share. */
  static final ResultBudget SHARED = new ResultBudget(Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 4));

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  ResultBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code bytes} if the bound leaves room for them; false, taking nothing, if not. */
  boolean take(long bytes) {
    if (held.addAndGet(bytes) > limit) {
      held.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  void giveBack(long bytes) {
    held.addAndGet(-bytes);
  }

  long limit() {
    return limit;
  }

  long held() {
    return held.get();
  }
}
