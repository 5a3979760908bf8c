package io.memtrace.collector.keyspace;

import java.util.Arrays;
import java.util.Random;

/** Up to {@link #CAPACITY} values kept uniformly at random (a reservoir), for percentiles. */
final class ValueSample {

  static final int CAPACITY = 2048;

  private final double[] values = new double[CAPACITY];
  private final Random random;
  private long seen;

  ValueSample(Random random) {
    this.random = random;
  }

  void add(double value) {
    seen++;
    if (seen <= CAPACITY) {
      values[(int) seen - 1] = value;
    } else {
      long slot = (long) (random.nextDouble() * seen);
      if (slot < CAPACITY) {
        values[(int) slot] = value;
      }
    }
  }

  /** The nearest-rank percentile {@code p} (0 to 100), or {@code null} without values. */
  Double percentile(double p) {
    int n = (int) Math.min(seen, CAPACITY);
    if (n == 0) {
      return null;
    }
    double[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
  }
}
