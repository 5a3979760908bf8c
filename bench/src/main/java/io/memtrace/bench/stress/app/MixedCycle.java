package io.memtrace.bench.stress.app;

import com.acme.memory.StoreOptions;

/**
 * The layered-memory cycle of the mixed, leak, large, growth and burst workloads, on this thread's
 * own keys: store, retrieve (hit, checked), retrieve (miss), a session message, a cache put and get,
 * a fact validated, the document deleted. Nine or ten operations, each timed.
 */
final class MixedCycle implements Cycle {

  static final String PARTITION = "stress/docs";
  private static final long TTL_SECONDS = 60;
  /** Documents per thread; each is deleted within its cycle, so Redis holds at most one per thread. */
  private static final int KEYS = 1_000;

  private final DemoMemory demo;
  private final OpClock clock;
  private final StressCounters counters;
  private final LayerSteps layers;
  private final String owner;
  private final StoreOptions options;

  /** {@code owner}: whose keys these are, one owner a thread. */
  MixedCycle(DemoMemory demo, String owner, OpClock clock, StressCounters counters) {
    this.demo = demo;
    this.clock = clock;
    this.counters = counters;
    this.owner = owner;
    this.layers = new LayerSteps(demo, clock, counters, owner);
    this.options = new StoreOptions(PARTITION, owner, TTL_SECONDS);
  }

  @Override
  public void run(long i) {
    String key = owner + "-doc-" + (i % KEYS);
    long start = clock.start();
    demo.memory.store(key, Payloads.doc(key, i, owner), options);
    clock.stop(start);

    start = clock.start();
    String hit = demo.memory.retrieve(key, PARTITION);
    clock.stop(start);
    counters.verify(Payloads.docJson(key, i, owner).equals(hit));

    start = clock.start();
    String miss = demo.memory.retrieve("missing-" + key, PARTITION);
    clock.stop(start);
    counters.verify(miss == null);

    layers.session("message " + i);
    layers.cache(i, "cached " + i);

    start = clock.start();
    boolean holds = demo.paf.validate(DemoMemory.PAF_CATEGORY, DemoMemory.PAF_ID, DemoMemory.PAF_CHOICE).holds();
    clock.stop(start);
    counters.verify(holds);

    start = clock.start();
    boolean deleted = demo.memory.delete(key, PARTITION);
    clock.stop(start);
    counters.verify(deleted);
  }
}
