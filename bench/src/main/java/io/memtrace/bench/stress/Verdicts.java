package io.memtrace.bench.stress;

import java.io.IOException;
import java.util.List;

/** The checks and metrics most scenarios share. */
final class Verdicts {

  private Verdicts() {
  }

  /** The application ended normally, with no failed call and every read returning what was stored. */
  static Check appUnaffected(AppRun run) {
    long errors = run.count("errors");
    long wrong = run.count("verify_failures");
    boolean holds = run.exitCode() == 0 && errors == 0 && wrong == 0 && !run.oomInLog();
    return Check.that("the application's results are unchanged (" + run.name() + ")", holds,
        Fmt.of("exit %d, %s errors, %s wrong reads%s", run.exitCode(), Fmt.count(errors), Fmt.count(wrong),
            run.oomInLog() ? ", OutOfMemoryError in its log" : ""), "exit 0, 0 errors, 0 wrong reads");
  }

  /** produced = exported + compressed + dropped, from the agent's shutdown line. */
  static Check accounting(AppRun run) {
    AppRun.Events e = run.events();
    return Check.that("every span accounted for: produced = exported + compressed + dropped", e.balanced(),
        e.known() ? Fmt.of("%s = %s + %s + %s", Fmt.count(e.produced()), Fmt.count(e.exported()),
            Fmt.count(e.compressed()), Fmt.count(e.dropped())) : "the agent printed no shutdown counters",
        "exact");
  }

  /**
   * Every span the collector acknowledged is stored, and nothing is stored that the agent did not
   * send: exported <= stored <= exported + dropped (a span whose export failed after the collector
   * committed it is stored and counted dropped). With key events on, the collector stores each command a carrier
   * lists as a span, and not the carrier: each exported carrier counts as its commands, and the commands of carriers
   * lost or dropped widen the upper bound as dropped spans do.
   */
  static Check stored(Rig rig, ScenarioContext context, AppRun run) throws IOException, InterruptedException {
    long stored = CollectorReads.storedSpans(rig, context.service(run.name()));
    AppRun.Events e = run.events();
    long carriers = Math.max(0, run.agentCounter("events.key_event_spans"));
    long listed = Math.max(0, run.agentCounter("events.key_events"));
    long expected = e.exported() - carriers + listed;
    long most = expected + e.dropped() + Math.max(0, run.agentCounter("events.key_events_lost"));
    boolean holds = e.known() && stored >= expected && stored <= most;
    String exported = carriers == 0 ? "exported"
        : Fmt.of("exported, its %s key-event carriers as the %s commands they list", Fmt.count(carriers), Fmt.count(listed));
    return Check.that("spans the collector stored match what the agent says it exported", holds,
        Fmt.count(stored) + " stored", Fmt.of("between %s (%s) and %s (+ dropped)", Fmt.count(expected), exported,
            Fmt.count(most)));
  }

  /** The seed's primary and secondary metrics of a run under the agent. */
  static void metrics(ScenarioResult result, AppRun run, RedisWatch redis, double stabilityFactor) {
    List<Sample> s = run.samples();
    result.run = run;
    result.events = run.events();
    result.metric("ops_per_s", run.value("ops") / run.value("seconds"));
    result.metric("p50_ms", run.value("p50_us") / 1000);
    result.metric("p99_ms", run.value("p99_us") / 1000);
    result.metric("p999_ms", run.value("p999_us") / 1000);
    result.metric("errors", run.count("errors") + Math.max(0, run.count("verify_failures")));
    double[] heap = Measures.thirds(s, Sample::heapAfterGcMb);
    result.metric("app_heap_growth_mb", heap[1] - heap[0]);
    result.metric("app_heap_peak_mb", Measures.max(s, Sample::heapUsedMb));
    result.metric("redis_used_memory_growth_mb", s.isEmpty() ? Double.NaN : s.get(s.size() - 1).redisUsedMb() - redis.firstMb());
    result.metric("redis_used_memory_peak_mb", redis.peakMb());
    if (s.size() >= 2) {
      Sample first = s.get(0);
      Sample last = s.get(s.size() - 1);
      double wallMs = last.t() - first.t();
      double agentMs = last.agentCpuMs() - first.agentCpuMs();
      double processMs = last.processCpuMs() - first.processCpuMs();
      if (first.agentCpuMs() >= 0) {
        result.metric("agent_cpu_percent_of_a_core", 100 * agentMs / wallMs);
        result.metric("agent_cpu_share_of_process_percent", 100 * agentMs / processMs);
      }
    }
    result.metric("stability_score", Measures.stability(s, result.faults, stabilityFactor));
  }
}
