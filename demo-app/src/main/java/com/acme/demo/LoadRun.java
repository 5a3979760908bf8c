package com.acme.demo;

import com.acme.memory.MemoryManager;
import com.acme.memory.StoreOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code --load --threads T --seconds S}: every thread repeats store, retrieve (hit), retrieve
 * (miss) and delete on its own keys for S seconds; prints throughput and latency percentiles.
 */
record LoadRun(MemoryManager memory, int threads, int seconds) {

  void run(PrintStream out) throws InterruptedException {
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    CountDownLatch done = new CountDownLatch(threads);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> {
        long[] lat = new long[1 << 16];
        int n = 0;
        Map<String, Object> value = Map.of("payload", "x".repeat(100), "thread", id);
        StoreOptions options = new StoreOptions("load/t" + id, "load-agent-" + id, 60);
        for (long i = 0; System.nanoTime() < end; i++) {
          String key = "doc-" + (i % 1000);
          for (int op = 0; op < 4; op++) {
            long start = System.nanoTime();
            switch (op) {
              case 0 -> memory.store(key, value, options);
              case 1 -> memory.retrieve(key, options.partition());
              case 2 -> memory.retrieve("missing-" + key, options.partition());
              default -> memory.delete(key, options.partition());
            }
            if (n == lat.length) {
              lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = System.nanoTime() - start;
          }
        }
        latencies[id] = Arrays.copyOf(lat, n);
        counts[id] = n;
        done.countDown();
      }, "load-" + t);
      worker.start();
    }
    done.await();
    List<Long> all = new ArrayList<>();
    long total = 0;
    for (int t = 0; t < threads; t++) {
      total += counts[t];
      for (long l : latencies[t]) {
        all.add(l);
      }
    }
    all.sort(null);
    out.printf("load: threads=%d seconds=%d operations=%d throughput=%.0f ops/s p50=%.3f ms p99=%.3f ms p999=%.3f ms%n",
        threads, seconds, total, total / (double) seconds, pct(all, 0.50), pct(all, 0.99), pct(all, 0.999));
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size()))) / 1e6;
  }
}
