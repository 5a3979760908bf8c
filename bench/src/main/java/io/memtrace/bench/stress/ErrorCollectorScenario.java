package io.memtrace.bench.stress;

import java.util.List;

/**
 * {@code error-collector}: the collector answers 503, then 429 (both with {@code Retry-After}), then
 * 500, each for a while. memtrace must wait at least {@code Retry-After} before sending a refused
 * payload again, never retry a 500, and not multiply its request rate.
 */
final class ErrorCollectorScenario extends Scenario {

  /** The attempts memtrace makes of one payload (OtlpHttpSender.MAX_ATTEMPTS): the most a rate can multiply by. */
  static final int MAX_ATTEMPTS = 5;
  /** How far apart the proxy's and the agent's readings of one moment can be, in ms. */
  static final long RESOLUTION_MILLIS = 20;

  ErrorCollectorScenario() {
    super("error-collector",
        "the collector answers 503 / 429 with Retry-After, then 500: back-off honoured, no retry storm");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double before = c.seconds("before");
    double each = c.durationOverride > 0 ? c.durationOverride / 3 : c.seconds("per-status");
    double seconds = before + 3 * each + c.seconds("after");
    long retryAfter = (long) c.settings.get("retry-after-seconds");
    AppFork fork = c.startMixed(rig, seconds);
    long t0 = fork.t0();
    FaultSchedule schedule = new FaultSchedule();
    int[] statuses = {503, 429, 500};
    for (int i = 0; i < statuses.length; i++) {
      int status = statuses[i];
      long ra = status == 500 ? 0 : retryAfter;
      schedule.add("collector answers " + status, before + i * each, each, () -> rig.proxy.error(status, ra),
          rig.proxy::pass);
    }
    List<FaultWindow> windows = schedule.play(t0);
    r.faults.addAll(windows);
    AppRun run = c.finish(rig, fork, seconds);
    c.metrics(r, rig, run);
    long from = windows.get(0).from();
    long to = windows.get(2).to();
    double normal = rig.proxy.requestsPerSecond("/v1/traces", t0, from);
    double failing = rig.proxy.requestsPerSecond("/v1/traces", from, to);
    List<Long> gaps = rig.proxy.retryGapsMillis(from, windows.get(1).to() + retryAfter * 1000 + 6000);
    long minGap = gaps.stream().mapToLong(Long::longValue).min().orElse(-1);
    long retried500 = rig.proxy.retriesOf(500, windows.get(2).from(), windows.get(2).to() + 10_000);
    r.metric("trace_requests_per_s_before", normal).metric("trace_requests_per_s_while_failing", failing);
    r.metric("retries_seen", gaps.size()).metric("shortest_retry_gap_ms", minGap).metric("retries_after_500", retried500);
    r.metric("export_failures", run.agentCounter("export.failures"));
    r.check(Verdicts.appUnaffected(run));
    // the proxy stamps its answer when it has written it, the agent starts waiting when it has read
    // it: two millisecond clocks and a loopback hop apart
    long shortest = retryAfter * 1000 - RESOLUTION_MILLIS;
    r.check(Check.that("Retry-After honoured: no refused payload sent again sooner", !gaps.isEmpty() && minGap >= shortest,
        Fmt.of("%d retries, the shortest after %s ms", gaps.size(), Fmt.count(minGap)),
        ">= " + shortest + " ms (" + retryAfter + " s less " + RESOLUTION_MILLIS + " ms of clock resolution), a retry seen"));
    r.check(Check.equal("a 500 is never retried", retried500, 0));
    r.check(Check.atMost("export requests per second while failing / before (no retry storm)", failing / normal,
        Math.min(c.settings.get("rate-ratio"), MAX_ATTEMPTS), "x"));
    for (FaultWindow w : windows) {
      r.check(FaultChecks.latencyThrough(run, w, r.faults, c.settings.get("p99-ratio")));
    }
    r.check(Verdicts.accounting(run));
    r.check(Verdicts.stored(rig, c, run));
  }
}
