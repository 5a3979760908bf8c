package io.memtrace.bench.stress;

import java.io.IOException;
import java.util.List;

/** Checks of the fault scenarios: latency through a fault, and export after it. */
final class FaultChecks {

  private FaultChecks() {
  }

  /**
   * The median window p99 while {@code fault} lasted, against the steady one: the median over every
   * window outside the faults, before and after (the first seconds of a run are still JIT time, so
   * "before" alone is a moving reference).
   */
  static Check latencyThrough(AppRun run, FaultWindow fault, List<FaultWindow> faults, double maxRatio) {
    List<Sample> s = run.samples();
    double steady = Measures.steady(s, faults, Sample::p99us);
    double during = Measures.median(s.stream().filter(x -> fault.covers(x.t())).mapToDouble(Sample::p99us).toArray());
    return Check.atMost("app p99 while " + fault.label() + " / steady", during / steady, maxRatio, "x");
  }

  /** Spans that started after {@code fault} ended reached the collector, and the agent's exported count moved on. */
  static Check exportResumed(Rig rig, ScenarioContext c, AppRun run, FaultWindow fault) throws IOException, InterruptedException {
    double after = CollectorReads.scalar(rig, "SELECT count(*) FROM spans WHERE service_name = '" + c.service(run.name())
        + "' AND epoch_ms(start_time) > " + fault.to());
    long exportedAtEnd = run.events().exported();
    long exportedAtFaultEnd = -1;
    for (Sample x : run.samples()) {
      if (x.t() <= fault.to()) {
        exportedAtFaultEnd = x.exported();
      }
    }
    boolean holds = after > 0 && exportedAtEnd > exportedAtFaultEnd;
    return Check.that("export resumed after " + fault.label(), holds,
        Fmt.of("%s spans started after it stored; exported %s at its end, %s at shutdown", Fmt.num(after),
            Fmt.count(exportedAtFaultEnd), Fmt.count(exportedAtEnd)), "spans stored after it, exported count moving");
  }

  /** The last window before {@code t}, or the first one. */
  static Sample at(AppRun run, long t) {
    Sample found = run.samples().get(0);
    for (Sample s : run.samples()) {
      if (s.t() <= t) {
        found = s;
      }
    }
    return found;
  }
}
