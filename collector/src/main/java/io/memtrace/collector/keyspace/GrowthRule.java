package io.memtrace.collector.keyspace;

/**
 * When a namespace's growth counts as rapid, for the time series and for {@code report}: at least
 * {@link #DEFAULT_BYTES_PER_MINUTE} a minute (1 MB) or {@link #DEFAULT_KEYS_PER_MINUTE} new keys a
 * minute, measured between complete passes, beyond what the passes' error bounds allow (a sampled
 * pass's estimates move from pass to pass without any growth). Declared once; {@code report
 * --growth-threshold} overrides the bytes.
 */
public record GrowthRule(double bytesPerMinute, double keysPerMinute) {

  public static final double DEFAULT_BYTES_PER_MINUTE = 1_000_000;
  public static final double DEFAULT_KEYS_PER_MINUTE = 1_000;

  public static GrowthRule defaults() {
    return new GrowthRule(DEFAULT_BYTES_PER_MINUTE, DEFAULT_KEYS_PER_MINUTE);
  }

  public boolean rapid(Double bytesPerMinute, double keysPerMinute) {
    return rapid(bytesPerMinute, 0, keysPerMinute, 0);
  }

  /** Rapid when the growth less its bound (the same units, a minute) is still at the threshold. */
  public boolean rapid(Double bytesPerMinute, double bytesBound, double keysPerMinute, double keysBound) {
    return bytesPerMinute != null && bytesPerMinute - bytesBound >= this.bytesPerMinute
        || keysPerMinute - keysBound >= this.keysPerMinute;
  }

  /** The bound of a difference of two estimates with the bounds {@code a} and {@code b}. */
  public static double differenceBound(Long a, Long b) {
    double x = a == null ? 0 : a;
    double y = b == null ? 0 : b;
    return Math.sqrt(x * x + y * y);
  }
}
