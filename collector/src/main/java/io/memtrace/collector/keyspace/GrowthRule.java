package io.memtrace.collector.keyspace;

/**
 * When a namespace's growth counts as rapid, for the time series and for {@code report}: at least
 * {@link #DEFAULT_BYTES_PER_MINUTE} a minute (1 MB) or {@link #DEFAULT_KEYS_PER_MINUTE} new keys a
 * minute, measured between complete passes. Declared once; {@code report --growth-threshold}
 * overrides the bytes.
 */
public record GrowthRule(double bytesPerMinute, double keysPerMinute) {

  public static final double DEFAULT_BYTES_PER_MINUTE = 1_000_000;
  public static final double DEFAULT_KEYS_PER_MINUTE = 1_000;

  public static GrowthRule defaults() {
    return new GrowthRule(DEFAULT_BYTES_PER_MINUTE, DEFAULT_KEYS_PER_MINUTE);
  }

  public boolean rapid(Double bytesPerMinute, double keysPerMinute) {
    return bytesPerMinute != null && bytesPerMinute >= this.bytesPerMinute || keysPerMinute >= this.keysPerMinute;
  }
}
