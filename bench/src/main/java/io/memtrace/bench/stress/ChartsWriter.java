package io.memtrace.bench.stress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The charts of one scenario, from its run under the agent: throughput and p99, drops, memory, overhead by threads. */
final class ChartsWriter {

  private ChartsWriter() {
  }

  static List<Path> write(Path out, ScenarioResult r) throws IOException {
    List<Path> written = new ArrayList<>();
    if (r.run != null && !r.run.samples().isEmpty()) {
      List<Sample> s = r.run.samples();
      long t0 = r.run.t0() > 0 ? r.run.t0() : s.get(0).t() - 1000;
      double[] x = new double[s.size()];
      double[] ops = new double[s.size()];
      double[] p99 = new double[s.size()];
      double[] drops = new double[s.size()];
      double[] heap = new double[s.size()];
      double[] afterGc = new double[s.size()];
      double[] redis = new double[s.size()];
      long[] dropped = Measures.dropsPerWindow(s);
      for (int i = 0; i < s.size(); i++) {
        Sample v = s.get(i);
        x[i] = (v.t() - t0) / 1000.0;
        ops[i] = v.ops();
        p99[i] = v.p99us() / 1000.0;
        drops[i] = dropped[i];
        heap[i] = v.heapUsedMb();
        afterGc[i] = v.heapAfterGcMb() < 0 ? Double.NaN : v.heapAfterGcMb();
        redis[i] = v.redisUsedMb();
      }
      List<StressCharts.Window> windows = new ArrayList<>();
      for (FaultWindow f : r.faults) {
        windows.add(new StressCharts.Window(f.label(), (f.from() - t0) / 1000.0, (f.to() - t0) / 1000.0));
      }
      written.add(StressCharts.throughputAndP99(out, r.name, new StressCharts.Series("operations/s", x, ops),
          new StressCharts.Series("p99 (ms)", x, p99), windows));
      written.add(StressCharts.drops(out, r.name, new StressCharts.Series("events dropped/s", x, drops), windows));
      written.add(StressCharts.memory(out, r.name, List.of(new StressCharts.Series("app heap used (MiB)", x, heap),
          new StressCharts.Series("app heap after GC (MiB)", x, afterGc),
          new StressCharts.Series("Redis used_memory (MiB)", x, redis)), windows));
    }
    if (r.levels != null) {
      double[] threads = new double[r.levels.length];
      for (int i = 0; i < threads.length; i++) {
        threads[i] = r.levels[i];
      }
      written.add(StressCharts.overheadByThreads(out, r.name, r.levels,
          List.of(new StressCharts.Series("throughput, memtrace / no agent", threads, r.throughputRatios),
              new StressCharts.Series("p99, memtrace / no agent", threads, r.p99Ratios))));
    }
    return written;
  }
}
