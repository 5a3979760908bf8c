package io.memtrace.bench.stress.app;

/**
 * The agent's figures at the end of a sample window; every one -1 without an agent (or before its
 * counters are found). The counters are the agent's running totals, not per window.
 *
 * @param dropped the agent's {@code dropped} plus {@code spansInFailedExports}
 * @param ringUsedMax the most ring slots in use at any 10 ms poll within the window
 * @param agentCpuMs CPU time of the live threads named {@code memtrace*}, so far
 * @param agentThreads how many live threads are named {@code memtrace*}
 */
record AgentReadings(long produced, long exported, long compressed, long dropped, long exportFailures,
    long ringSize, long ringUsedMax, long agentCpuMs, long agentThreads) {

  static final AgentReadings NONE = new AgentReadings(-1, -1, -1, -1, -1, -1, -1, -1, -1);

  void addTo(JsonLine line) {
    line.add("produced", produced).add("exported", exported).add("compressed", compressed)
        .add("dropped", dropped).add("export_failures", exportFailures).add("ring_size", ringSize)
        .add("ring_used_max", ringUsedMax).add("agent_cpu_ms", agentCpuMs)
        .add("agent_threads", agentThreads);
  }
}
