package io.memtrace.bench.stress.app;

import com.acme.memory.StoreOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The vector workload on one thread: an embedding stored into {@code stress/vectors} and read back
 * (checked) every round; every 8th round a {@code memory.search} over all vectors (hundreds of keys),
 * and, 4 rounds later, a deep-memory note created or, once there are enough, searched by tags.
 * Every note carries the run's own tag, so a search finds this run's notes only, however many
 * earlier runs left in the same Redis: a run with the agent and one without compare like with like.
 */
final class VectorCycle implements Cycle {

  static final String PARTITION = "stress/vectors";
  /**
   * Vector keys per thread, overwritten in turn: Redis holds at most threads × 128 × 16 KB, and a
   * search returns threads × 128 keys from the first seconds on.
   */
  static final int SLOTS = 128;
  /**
   * Deep-memory notes of the whole run. {@code DeepMemory.search} reads the text of every candidate
   * with one HGET each, so more notes would make each search slower for as long as the run lasts.
   */
  static final long NOTES = 128;
  private static final int EVERY = 8;
  private static final String[] TOPICS = {"stress-topic-a", "stress-topic-b", "stress-topic-c", "stress-topic-d"};

  private final DemoMemory demo;
  private final int thread;
  private final OpClock clock;
  private final StressCounters counters;
  private final Payloads payloads;
  private final AtomicLong notesCreated;
  private final String runTag;
  private final StoreOptions options;

  VectorCycle(DemoMemory demo, int thread, OpClock clock, StressCounters counters, Payloads payloads,
      AtomicLong notesCreated, String runTag) {
    this.demo = demo;
    this.thread = thread;
    this.clock = clock;
    this.counters = counters;
    this.payloads = payloads;
    this.notesCreated = notesCreated;
    this.runTag = runTag;
    this.options = new StoreOptions(PARTITION, "stress-vector-t" + thread, 0);
  }

  @Override
  public void run(long i) {
    int pick = (int) ((i + thread) % payloads.size());
    String key = "vec-" + thread + "-" + (i % SLOTS);
    long start = clock.start();
    demo.memory.store(key, payloads.embedding(pick), options);
    clock.stop(start);
    counters.storeOps.increment();
    counters.storedValueBytes.add(payloads.embeddingBytes(pick));

    start = clock.start();
    String stored = demo.memory.retrieve(key, PARTITION);
    clock.stop(start);
    counters.verify(payloads.storedEmbedding(pick).equals(stored));

    if (i % EVERY == 0) {
      start = clock.start();
      int found = demo.memory.search("vec-%", PARTITION).size();
      clock.stop(start);
      counters.searchOps.increment();
      counters.searchResults.add(found);
    } else if (i % EVERY == EVERY / 2) {
      List<String> tags = List.of(runTag, TOPICS[(int) (i / EVERY % TOPICS.length)]);
      start = clock.start();
      if (notesCreated.getAndIncrement() < NOTES) {
        demo.deep.create(payloads.note(pick), tags);
      } else {
        demo.deep.search("memory", tags, 50);
      }
      clock.stop(start);
    }
  }
}
