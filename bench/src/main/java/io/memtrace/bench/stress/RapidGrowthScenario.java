package io.memtrace.bench.stress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code rapid-growth}: {@code stress/growth} gains a few new keys a second, then 50 times as many
 * for the last seconds of the run. memtrace's namespace growth flag must catch the jump, in the
 * report and in the time series, and the time series must not have flagged it before the jump.
 */
final class RapidGrowthScenario extends Scenario {

  static final String NAMESPACE = "stress/growth";

  RapidGrowthScenario() {
    super("rapid-growth", "a namespace's new keys jump 50x in one window: the namespace growth flag detects it");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double seconds = c.duration();
    double jump = c.seconds("jump");
    List<String> args = c.appArgs(rig, "growth", seconds, "rate", "growth-base", "growth-factor");
    args.addAll(List.of("--growth-jump-seconds", ScenarioContext.fmt(jump)));
    AppRun run = c.traced(rig, args, seconds);
    long t0 = run.t0();
    long jumpStart = t0 + (long) ((seconds - jump) * 1000);
    r.faults.add(new FaultWindow("50x new keys", jumpStart, t0 + (long) (seconds * 1000)));
    c.metrics(r, rig, run);
    Thread.sleep(2500); // the last keys reach a time-series line
    // as many report windows as the run has jump-long stretches, so the jump is the last window
    int windows = (int) Math.max(2, Math.round((seconds + c.warmup()) / jump));
    JsonNode report = CollectorReads.report(c.layout, rig, "report", "--windows", String.valueOf(windows));
    r.check(Verdicts.appUnaffected(run));
    JsonNode flagged = report.path("sections").path("namespace_growth").path("rapid_growth");
    boolean inReport = false;
    for (JsonNode ns : flagged) {
      inReport |= ns.asText().equals(NAMESPACE);
    }
    r.metric("report_rapid_growth", flagged.toString());
    r.check(Check.that("detects (report): namespace growth flags " + NAMESPACE, inReport, "flagged: " + flagged,
        "contains " + NAMESPACE));
    int early = 0;
    int during = 0;
    long peak = 0;
    for (JsonNode line : CollectorReads.timeseries(rig)) {
      long at = java.time.Instant.parse(line.path("time").asText()).toEpochMilli();
      for (JsonNode f : line.path("rapid_growth")) {
        if (f.path("namespace").asText().equals(NAMESPACE)) {
          peak = Math.max(peak, f.path("new_keys").asLong());
          // a line covers the second before its time; the jump's first keys land in the line after it began
          if (at <= jumpStart) {
            early++;
          } else {
            during++;
          }
        }
      }
    }
    r.metric("timeseries_flags_during_jump", during).metric("timeseries_flags_before_jump", early)
        .metric("timeseries_flagged_new_keys", peak);
    r.check(Check.that("detects (time series): " + NAMESPACE + " flagged during the jump", during > 0,
        during + " lines flag it, up to " + peak + " new keys a line", "> 0"));
    r.check(Check.equal("no false alarm: " + NAMESPACE + " not flagged before the jump", early, 0));
    r.check(Verdicts.accounting(run));
  }
}
