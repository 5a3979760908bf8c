package io.memtrace.bench.stress.app;

/**
 * One line of the samples file: one second of measurement.
 *
 * @param t epoch milliseconds at the end of the window
 * @param ops operations that returned within the window (those that threw are {@code errors})
 * @param p50Us latency percentiles and maximum of the window's operations in µs, 0 when it had none
 * @param heapAfterGcMb heap used after the latest GC, all heap pools; -1 before the first GC
 * @param threads live threads of the JVM
 * @param fds entries of {@code /proc/self/fd}, and {@code sockets} of them links to {@code socket:}
 * @param processCpuMs CPU time of the whole process so far
 * @param level the fleet level's thread count, 0 for other workloads
 */
record Sample(long t, long ops, long errors, long verifyFailures, double p50Us, double p99Us, double p999Us,
    double maxUs, double heapUsedMb, double heapAfterGcMb, long threads, long fds, long sockets, long processCpuMs,
    int level, AgentReadings agent) {

  /** The sample of {@code window}, with the process's figures now. */
  static Sample of(long t, Measured window, ProcessGauges gauges, int level, AgentReadings agent) {
    ProcessGauges.Descriptors descriptors = gauges.descriptors();
    return new Sample(t, window.ops(), window.errors, window.verifyFailures, window.percentileUs(50),
        window.percentileUs(99), window.percentileUs(99.9), window.maxUs(), gauges.heapUsedMb(),
        gauges.heapAfterGcMb(), gauges.threads(), descriptors.fds(), descriptors.sockets(), gauges.processCpuMillis(),
        level, agent);
  }

  /** The line as written, without a line break. */
  String json() {
    JsonLine line = new JsonLine().add("t", t).add("ops", ops).add("errors", errors)
        .add("verify_failures", verifyFailures).add("p50_us", p50Us).add("p99_us", p99Us).add("p999_us", p999Us)
        .add("max_us", maxUs).add("heap_used_mb", heapUsedMb).add("heap_after_gc_mb", heapAfterGcMb)
        .add("threads", threads).add("fds", fds).add("sockets", sockets).add("process_cpu_ms", processCpuMs)
        .add("level", level);
    agent.addTo(line);
    return line.toString();
  }
}
