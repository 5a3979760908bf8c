package io.memtrace.collector.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;

/**
 * A closed loop of reads, the application the watcher must not slow down: one connection, each
 * command sent when the last reply is in, a random key each time ({@code GET} in the string
 * namespaces, {@code EXISTS} in the others). Latencies go into a preallocated array, so the loop
 * makes no garbage while it measures and its own GC does not land on its p99.
 */
final class GetLoop {

  private final URI redis;
  private final int keys;
  private final Random random = new Random();
  private long[] latencies = new long[1 << 20];
  private int count;

  GetLoop(URI redis, int keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /**
   * Runs unmeasured for {@code warmupSeconds} and until {@code start} says so (the JIT of this loop is done,
   * and a watcher, if any, is at work), then measures until {@code done} says so.
   */
  Result run(double warmupSeconds, BooleanSupplier start, BooleanSupplier done) {
    count = 0;
    try (Jedis jedis = new Jedis(redis.getHost(), redis.getPort(), 10_000)) {
      long warm = System.nanoTime() + (long) (warmupSeconds * 1e9);
      while (System.nanoTime() < warm || !start.getAsBoolean()) {
        read(jedis);
      }
      long begin = System.nanoTime();
      while (!done.getAsBoolean()) {
        long t = System.nanoTime();
        read(jedis);
        record(System.nanoTime() - t);
      }
      long[] sorted = Arrays.copyOf(latencies, count);
      Arrays.sort(sorted);
      return new Result(sorted, (System.nanoTime() - begin) / 1e9);
    }
  }

  private void read(Jedis jedis) {
    int i = random.nextInt(keys);
    String key = "ns" + (i % KeyspaceBenchmark.NAMESPACES) + ":" + i;
    if (i % KeyspaceBenchmark.NAMESPACES % 4 == 0) {
      jedis.get(key);
    } else {
      jedis.exists(key);
    }
  }

  private void record(long nanos) {
    if (count == latencies.length) {
      latencies = Arrays.copyOf(latencies, count * 2);
    }
    latencies[count++] = nanos;
  }

  /** The sorted latencies of one measured stretch. */
  record Result(long[] sorted, double seconds) {

    double percentileMicros(double p) {
      return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1000.0;
    }

    String line() {
      return String.format(Locale.ROOT, "%,d reads in %.1f s, p50 %.1f us, p99 %.1f us, p99.9 %.1f us", sorted.length,
          seconds, percentileMicros(50), percentileMicros(99), percentileMicros(99.9));
    }
  }
}
