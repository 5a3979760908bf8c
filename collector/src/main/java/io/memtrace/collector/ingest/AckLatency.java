package io.memtrace.collector.ingest;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long {@code /v1/traces} requests waited for their 200: from the moment the request was
 * read whole to the moment its answer was written. This is what a client's export timeout runs
 * against; past it, the client sends the batch again. Counted since start in buckets an eighth of
 * a power of two wide (a value is reported at most 12.5% above the true one), without locks.
 */
public final class AckLatency {

  private static final int SUB_BITS = 3;
  private static final int SUBS = 1 << SUB_BITS;

  private final AtomicLongArray buckets = new AtomicLongArray(64 * SUBS);
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong maxMicros = new AtomicLong();

  public void record(long nanos) {
    long micros = Math.max(1, nanos / 1000);
    buckets.incrementAndGet(bucket(micros));
    count.incrementAndGet();
    maxMicros.accumulateAndGet(micros, Math::max);
  }

  public long count() {
    return count.get();
  }

  /** The latency {@code fraction} of answers took at most, in microseconds; 0 before the first answer. */
  public long percentileMicros(double fraction) {
    long total = count.get();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(fraction * total);
    long seen = 0;
    for (int i = 0; i < buckets.length(); i++) {
      seen += buckets.get(i);
      if (seen >= Math.max(1, rank)) {
        return Math.min(upperBound(i), maxMicros.get());
      }
    }
    return maxMicros.get();
  }

  public long maxMicros() {
    return maxMicros.get();
  }

  /** For the shutdown line: {@code p50 1.2 ms, p99 8.0 ms, max 31.5 ms}. */
  public String summary() {
    return "p50 " + millis(percentileMicros(0.50)) + " ms, p99 " + millis(percentileMicros(0.99)) + " ms, max "
        + millis(maxMicros()) + " ms";
  }

  public static String millis(long micros) {
    return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
  }

  static int bucket(long micros) {
    int exponent = 63 - Long.numberOfLeadingZeros(micros);
    if (exponent < SUB_BITS) {
      return (int) micros;
    }
    int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUBS - 1);
    return (exponent - SUB_BITS + 1) * SUBS + sub;
  }

  /** The largest value that falls in bucket {@code index}. */
  static long upperBound(int index) {
    if (index < SUBS) {
      return index;
    }
    int exponent = index / SUBS + SUB_BITS - 1;
    long sub = index % SUBS;
    return ((SUBS + sub + 1) << (exponent - SUB_BITS)) - 1;
  }
}
