package io.memtrace.bench.stress.app;

import java.util.List;

/**
 * The {@code RESULT {...}} line: what the whole measurement added up to, the workload's tallies and,
 * for fleet, each level's throughput and latencies. Numbers only, one line.
 */
final class StressResult {

  private StressResult() {
  }

  /** One fleet level's measurement. */
  record Level(int threads, Measured measured) {
  }

  static String line(Measured total, boolean oom, double heapAfterGcEndMb, StressCounters counters,
      List<Level> levels) {
    JsonLine line = new JsonLine().add("ops", total.ops()).add("errors", total.errors)
        .add("verify_failures", total.verifyFailures).add("seconds", total.seconds, 3)
        .add("p50_us", total.percentileUs(50)).add("p99_us", total.percentileUs(99))
        .add("p999_us", total.percentileUs(99.9)).add("oom", oom ? 1 : 0)
        .add("heap_after_gc_end_mb", heapAfterGcEndMb)
        .add("store_ops", counters.storeOps.sum()).add("stored_value_bytes_sum", counters.storedValueBytes.sum())
        .add("search_ops", counters.searchOps.sum()).add("search_results_sum", counters.searchResults.sum())
        .add("leak_keys", counters.leakKeys.sum()).add("growth_keys", counters.growthKeys.sum())
        .add("large_values", counters.largeValues.sum()).add("ops_outside_turns", total.opsOutsideTurns);
    for (Level level : levels) {
      Measured m = level.measured();
      String prefix = "level_" + level.threads() + "_";
      line.add(prefix + "ops_s", m.seconds > 0 ? m.ops() / m.seconds : 0).add(prefix + "p50_us", m.percentileUs(50))
          .add(prefix + "p99_us", m.percentileUs(99)).add(prefix + "p999_us", m.percentileUs(99.9));
    }
    return "RESULT " + line;
  }
}
