package io.memtrace.bench.stress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code memory-leak}: beside its normal load, the application stores keys in {@code stress/leak}
 * with no TTL and never reads them. The application must be unaffected, and memtrace's own outputs
 * (the report and the time series, read as a user would) must show that namespace's never-read and
 * no-TTL keys growing: the "detects" checks read nothing of what the scenario knows it did.
 */
final class MemoryLeakScenario extends Scenario {

  static final String NAMESPACE = "stress/leak";

  MemoryLeakScenario() {
    super("memory-leak",
        "keys written with no TTL and never read, growing steadily: the report and time series detect it");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double seconds = c.duration();
    List<String> args = c.appArgs(rig, "leak", seconds, "rate", "leak-rate");
    AppRun run = c.traced(rig, args, seconds);
    c.metrics(r, rig, run);
    Thread.sleep(2500); // the time series writes a line a second: let the last keys reach one
    JsonNode report = CollectorReads.report(c.layout, rig, "report");
    List<JsonNode> series = CollectorReads.timeseries(rig);
    long leaked = run.count("leak_keys");
    r.metric("leak_keys_stored", leaked);
    r.check(Verdicts.appUnaffected(run));
    detectInReport(r, report, "written_never_read", "keys written and never read");
    detectInReport(r, report, "no_ttl", "keys with no TTL");
    detectInSeries(r, series, "written_never_read_keys", "never-read keys");
    detectInSeries(r, series, "keys_without_ttl", "no-TTL keys");
    r.check(Verdicts.accounting(run));
  }

  /** The namespace leads the report's list, with the most matching keys of any namespace. */
  private static void detectInReport(ScenarioResult r, JsonNode report, String section, String what) {
    JsonNode byNamespace = report.path("sections").path(section).path("by_namespace");
    String top = byNamespace.fieldNames().hasNext() ? byNamespace.fieldNames().next() : "(none)";
    long count = byNamespace.path(NAMESPACE).asLong(0);
    r.metric("report_" + section + "_" + "stress_leak", count);
    r.check(Check.that("detects (report): " + NAMESPACE + " has the most " + what, top.equals(NAMESPACE) && count > 0,
        Fmt.of("first namespace %s; %s has %s", top, NAMESPACE, Fmt.count(count)), NAMESPACE + " first, > 0"));
  }

  /**
   * The namespace's count in the time series grows: it rises in most intervals and ends well above
   * where it began.
   */
  private static void detectInSeries(ScenarioResult r, List<JsonNode> series, String field, String what) {
    List<Long> counts = new ArrayList<>();
    for (JsonNode line : series) {
      JsonNode ns = line.path("namespaces").path(NAMESPACE);
      if (!ns.isMissingNode()) {
        counts.add(ns.path(field).asLong(0));
      }
    }
    int rises = 0;
    for (int i = 1; i < counts.size(); i++) {
      rises += counts.get(i) > counts.get(i - 1) ? 1 : 0;
    }
    long first = counts.isEmpty() ? 0 : counts.get(0);
    long last = counts.isEmpty() ? 0 : counts.get(counts.size() - 1);
    boolean growing = counts.size() >= 5 && rises >= 0.7 * (counts.size() - 1) && last >= 4 * Math.max(1, first);
    r.metric("timeseries_" + field + "_stress_leak", counts);
    r.check(Check.that("detects (time series): " + what + " in " + NAMESPACE + " growing", growing,
        Fmt.of("%s -> %s over %d lines, rising in %d", Fmt.count(first), Fmt.count(last), counts.size(), rises),
        "rising in >= 70 % of lines, last >= 4x first"));
  }
}
