package io.memtrace.bench.stress.app;

import com.acme.memory.MemoryManager;
import com.acme.memory.StoreOptions;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stream of stores of new keys ({@code leak-0}, {@code leak-1}, ...) that are never read, on a
 * thread of its own whose gate sets the pace: the leak, large and growth workloads' extra load. {@code stored} counts
 * each store that returned.
 */
record SideStream(MemoryManager memory, OpClock clock, String keyPrefix, Object value, StoreOptions options,
    LongAdder stored) implements Cycle {

  @Override
  public void run(long i) {
    String key = keyPrefix + i;
    long start = clock.start();
    memory.store(key, value, options);
    clock.stop(start);
    stored.increment();
  }
}
