package io.memtrace.bench.stress.app;

import java.util.Locale;

/**
 * The workloads of {@code --workload}, with the defaults that differ between them. Every default is
 * chosen for a 2-core machine that also runs Redis, the collector and the harness.
 */
enum StressWorkload {
  /** The layered-memory cycle as fast as Redis answers, 4 threads. */
  MIXED("4", 0),
  /** The mixed cycle paced to 1,000 ops/s in total, so the leak stream is what grows. */
  LEAK("4", 1_000),
  /** The mixed cycle plus a few ~1 MiB values a second. */
  LARGE("4", 0),
  /** The mixed cycle plus a stream of keys that jumps by a factor near the end. */
  GROWTH("4", 0),
  /** 4–16 KB documents and embeddings, and searches that return hundreds of keys. */
  VECTOR("4", 0),
  /** The fleet's workflow at 1, 3, 5, 10 and 20 threads, one level after the other. */
  FLEET("1,3,5,10,20", 0),
  /** 16 threads that run the mixed cycle together for a burst, then all pause. */
  BURST("16", 0);

  /** {@code --threads} when it is not given. */
  final String defaultThreads;
  /** {@code --rate} (ops/s, all threads together) when it is not given; 0 runs unpaced. */
  final double defaultRate;

  StressWorkload(String defaultThreads, double defaultRate) {
    this.defaultThreads = defaultThreads;
    this.defaultRate = defaultRate;
  }

  /** The name on the command line: {@code mixed}, {@code leak}, ... */
  String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static StressWorkload parse(String value) throws StressOptions.UsageException {
    for (StressWorkload w : values()) {
      if (w.flagValue().equals(value)) {
        return w;
      }
    }
    throw new StressOptions.UsageException("--workload: unknown workload '" + value
        + "' (mixed, leak, large, growth, vector, fleet or burst)");
  }
}
