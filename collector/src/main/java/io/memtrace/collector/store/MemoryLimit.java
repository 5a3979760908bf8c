package io.memtrace.collector.store;

import java.lang.management.ManagementFactory;

/**
 * The memory budget of {@code serve} ({@code --memory}, {@code MEMTRACE_MEMORY}) and how it is
 * shared: DuckDB's {@code memory_limit} (buffers, hash tables of a query: past it DuckDB spills to
 * disk or fails the query), the JVM's heap, and the rest for what neither limit counts (thread
 * stacks, the JIT's code, the GC's own tables, DuckDB's allocations outside its buffer manager).
 * DuckDB's own default is 80% of the host and the JVM's a quarter, on top of each other; a
 * sidecar must leave the host to its application.
 */
public final class MemoryLimit {

  /** The least budget: DuckDB keeps a row group of the ingest table while compacting, the heap two 16 MiB bodies. */
  public static final long MIN_BUDGET = 256L << 20;
  /**
   * The default budget at most. Measured with defaults over a long ingest at full speed (see the
   * collector README), {@code serve} peaked well under it; more would only hold more pages.
   */
  public static final long DEFAULT_CAP = 1L << 30;
  /** DuckDB threads per this much budget: a thread of a big aggregation holds its own hash tables. */
  private static final long PER_THREAD = 256L << 20;

  private MemoryLimit() {
  }

  /** A quarter of the host's memory (of the container's, where the JVM sees a limit), within [256 MiB, 1 GiB]. */
  public static long defaultBudget() {
    return Math.max(MIN_BUDGET, Math.min(DEFAULT_CAP, hostBytes() / 4));
  }

  /** DuckDB's share of the budget: two fifths. */
  public static long duckdbBytes(long budget) {
    return budget / 5 * 2;
  }

  /** The JVM heap's share of the budget ({@code -Xmx}): three tenths. */
  public static long heapBytes(long budget) {
    return budget / 10 * 3;
  }

  /**
   * DuckDB's threads: one per 256 MiB of budget, to the nearest (so that a budget a launcher took its share of
   * keeps the threads of the whole), at least one, at most the processors.
   */
  public static int threads(long budget) {
    return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), (budget + PER_THREAD / 2) / PER_THREAD));
  }

  private static long hostBytes() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
  }

  /** The value of DuckDB's setting, in whole MiB. */
  static String setting(long bytes) {
    return Math.max(1, bytes >> 20) + "MiB";
  }
}
