package io.memtrace.bench.stress.app;

/** One round of a workload on one thread; its worker repeats it until the run stops. */
@FunctionalInterface
interface Cycle {

  /** Runs round {@code iteration} (0, 1, 2, ... on this thread), timing each operation itself. */
  void run(long iteration) throws Exception;
}
