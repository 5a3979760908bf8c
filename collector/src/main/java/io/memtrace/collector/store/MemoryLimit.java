package io.memtrace.collector.store;

import java.lang.management.ManagementFactory;

/**
 * DuckDB's {@code memory_limit}: what the database may hold in native memory (buffers, hash
 * tables of a query) before it spills to disk or fails the query. DuckDB's own default is 80% of
 * the host, on top of the JVM's heap; a sidecar must leave the host to its application.
 */
public final class MemoryLimit {

  /** Below this DuckDB cannot hold a row group of the ingest table while compacting. */
  public static final long MIN_BYTES = 64L << 20;

  private MemoryLimit() {
  }

  /**
   * A quarter of the host's memory (of the container's, where the JVM sees a limit), at least 256
   * MiB: with the JVM's default heap, also a quarter, the collector keeps to half the host.
   */
  public static long defaultBytes() {
    long host = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return Math.max(256L << 20, host / 4);
  }

  /** The value of DuckDB's setting, in whole MiB. */
  static String setting(long bytes) {
    return Math.max(1, bytes >> 20) + "MiB";
  }
}
