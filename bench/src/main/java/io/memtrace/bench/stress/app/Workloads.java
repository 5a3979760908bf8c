package io.memtrace.bench.stress.app;

import com.acme.memory.StoreOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Starts the threads of one level of a workload: its cycles and, for some, a side stream. */
final class Workloads {

  /** Large values a second: "a few", enough to reach a maxmemory limit within a scenario. */
  static final double LARGE_PER_SECOND = 4;

  private final StressOptions options;
  private final DemoMemory demo;
  private final Payloads payloads;
  private final StressCounters counters;
  private final Failure failure;
  /**
   * The first turn's start on {@code System.nanoTime()}'s clock, once known: until the handshake sets it (turns
   * {@code ready,...}) it lies far ahead, and the workers warm up.
   */
  private volatile long epochNanos = System.nanoTime() + Long.MAX_VALUE / 2;

  Workloads(StressOptions options, DemoMemory demo, Payloads payloads, StressCounters counters, Failure failure) {
    this.options = options;
    this.demo = demo;
    this.payloads = payloads;
    this.counters = counters;
    this.failure = failure;
    if (options.turns() != null && !options.turns().awaitsEpoch()) {
      epochNanos = options.turns().epochNanos();
    }
  }

  /** The workers' turns begin at {@code turns}' epoch, which the handshake has just given. */
  void takeTurnsFrom(Turns turns) {
    epochNanos = turns.epochNanos();
  }

  /** Starts {@code threads} workers now; they run until the group is stopped. */
  WorkerGroup start(int threads) {
    WorkerGroup group = new WorkerGroup(counters, failure);
    String prefix = "stress-" + options.workload().flagValue() + "-";
    switch (options.workload()) {
      case VECTOR -> {
        AtomicLong notes = new AtomicLong();
        String runTag = "stress-vector-" + Long.toString(System.currentTimeMillis(), 36);
        for (int t = 0; t < threads; t++) {
          int thread = t;
          group.start(prefix + t, Gate.paced(options.rate() / threads), clock -> new VectorCycle(demo, thread, clock,
              counters, payloads, notes, runTag));
        }
      }
      case FLEET -> {
        for (int t = 0; t < threads; t++) {
          int thread = t;
          group.start(prefix + t, Gate.OPEN, clock -> new FleetCycle(demo, thread, clock, counters));
        }
      }
      case BURST -> {
        Gate burst = new BurstClock(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(options.burstMillis()),
            TimeUnit.MILLISECONDS.toNanos(options.pauseMillis())).gate();
        for (int t = 0; t < threads; t++) {
          String owner = owner(t);
          group.start(prefix + t, taking(burst), clock -> new MixedCycle(demo, owner, clock, counters));
        }
      }
      default -> {
        for (int t = 0; t < threads; t++) {
          String owner = owner(t);
          // each thread its share of the total rate, and a pacer of its own
          group.start(prefix + t, taking(Gate.paced(options.rate() / threads)),
              clock -> new MixedCycle(demo, owner, clock, counters));
        }
        startSideStream(group);
      }
    }
    return group;
  }

  /**
   * Who a mixed-cycle thread's keys, session and cache entries belong to. Two runs taking turns warm
   * up at once against the same Redis, so each has keys of its own.
   */
  private String owner(int thread) {
    return options.turns() == null ? "stress-t" + thread : "stress-p" + options.turns().phase() + "-t" + thread;
  }

  /** {@code gate} held to this run's turns, when it takes turns with another. */
  private Gate taking(Gate gate) {
    return options.turns() == null ? gate : options.turns().gate(gate, () -> epochNanos);
  }

  private void startSideStream(WorkerGroup group) {
    switch (options.workload()) {
      case LEAK -> group.start("stress-leak-stream", Gate.paced(options.leakRate()),
          clock -> new SideStream(demo.memory, clock, "leak-", Payloads.doc("leak", 0, "leaky-agent"),
              new StoreOptions("stress/leak", "leaky-agent", 0), counters.leakKeys));
      case LARGE -> group.start("stress-large-stream", Gate.paced(LARGE_PER_SECOND),
          clock -> new SideStream(demo.memory, clock, "large-", Payloads.large(options.valueBytes()),
              new StoreOptions("stress/large", "stress-large", 0), counters.largeValues));
      case GROWTH -> group.start("stress-growth-stream", new Pacer(growthRate()),
          clock -> new SideStream(demo.memory, clock, "growth-", Payloads.doc("growth", 0, "stress-growth"),
              new StoreOptions("stress/growth", "stress-growth", 3_600), counters.growthKeys));
      default -> {
      }
    }
  }

  /** The base rate, then base × factor for the last {@code --growth-jump-seconds} of the measured run. */
  private Pacer.Rate growthRate() {
    double base = options.growthBase();
    double jumped = base * options.growthFactor();
    long jumpAt = System.nanoTime()
        + TimeUnit.SECONDS.toNanos(options.warmup() + options.seconds() - options.growthJumpSeconds());
    return now -> now - jumpAt < 0 ? base : jumped;
  }
}
