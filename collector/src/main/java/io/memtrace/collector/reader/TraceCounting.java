package io.memtrace.collector.reader;

import java.util.Locale;

/**
 * How every store counts the traces in a report's overview, so that two stores that hold the same spans print the
 * same count and the same note: exactly up to {@link #EXACT} traces, and past that a HyperLogLog estimate over
 * {@link #REGISTERS} registers (a standard error of about 0.4 %). The embedded store keeps both parts at each move;
 * ClickHouse asks {@code uniqCombined(16)}, and {@code uniqExact} when that says the count is near the limit or below.
 */
public final class TraceCounting {

  /** Up to how many traces the count is exact. */
  public static final int EXACT = 10_000;
  /** The estimate's registers (2^16). */
  public static final int REGISTERS = 1 << 16;
  /** The note on the overview's traces. */
  public static final String NOTE = "traces is exact up to " + String.format(Locale.ROOT, "%,d", EXACT)
      + " traces and estimated past them (HyperLogLog over " + String.format(Locale.ROOT, "%,d", REGISTERS)
      + " registers, within about 1 %).";

  private TraceCounting() {
  }
}
