package io.memtrace.bench.stress;

/**
 * What memtrace holds on the application's heap, measured side by side: the heap in use after a
 * full collection at the end of a run under the agent, minus the same without it, and the bound it
 * must stay within: its ring, the spans its exporter may queue, and a fixed part (stress.yaml).
 */
final class AgentHeap {

  /** memtrace's defaults (docs/reference/configuration.md). */
  static final int DEFAULT_RING = 8192;
  static final int DEFAULT_QUEUED_SPANS = 65536;

  private AgentHeap() {
  }

  static double boundMb(StressConfig config, int ringSize) {
    double bytes = ringSize * config.number("agent-heap", "bytes-per-slot")
        + DEFAULT_QUEUED_SPANS * config.number("agent-heap", "bytes-per-queued-span");
    return bytes / 1048576.0 + config.number("agent-heap", "fixed-mib");
  }

  static Check check(StressConfig config, int ringSize, AppRun none, AppRun agent) {
    double held = agent.value("heap_after_gc_end_mb") - none.value("heap_after_gc_end_mb");
    double bound = boundMb(config, ringSize);
    return Check.that("memtrace's heap (after GC, with agent minus without) within ring + batches", held <= bound,
        Fmt.num(held) + " MiB", Fmt.of("<= %s MiB (%s slots, %s queued spans, %s MiB fixed)", Fmt.num(bound),
            Fmt.count(ringSize), Fmt.count(DEFAULT_QUEUED_SPANS), Fmt.num(config.number("agent-heap", "fixed-mib"))));
  }
}
