package io.memtrace.collector.keyspace;

import java.util.Locale;

/**
 * How a pass reads a database: every key ({@link #FULL}), a sample of keys from SCANs started at
 * random cursors ({@link #SAMPLED}), or the first up to {@link WatchSettings#sampleAbove} keys and
 * the second above it ({@link #AUTO}).
 */
public enum WatchMode {
  FULL, SAMPLED, AUTO;

  /** Whether a database of {@code keys} keys is sampled: never when the sample would not be smaller. */
  boolean samples(long keys, WatchSettings settings) {
    return switch (this) {
      case FULL -> false;
      case SAMPLED -> keys > settings.sampleScanKeys();
      case AUTO -> keys > Math.max(settings.sampleAbove(), settings.sampleScanKeys());
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
