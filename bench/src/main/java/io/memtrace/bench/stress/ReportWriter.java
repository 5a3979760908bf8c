package io.memtrace.bench.stress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code stress-report.md}: a summary table, the stability score's definition, then each scenario's checks, metrics and charts. */
final class ReportWriter {

  private ReportWriter() {
  }

  static void write(Path out, List<ScenarioResult> results, Map<String, Object> run, Map<String, List<Path>> charts)
      throws IOException {
    StringBuilder md = new StringBuilder("# memtrace stress and fault suite\n\n");
    run.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    long held = results.stream().filter(ScenarioResult::holds).count();
    md.append("\n**").append(held).append(" of ").append(results.size()).append(" scenarios held.**\n\n");
    md.append("| scenario | holds | checks held | produced | exported | compressed | dropped | p99 ms | stability | agent CPU, % of a core |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ScenarioResult r : results) {
      long ok = r.checks.stream().filter(Check::holds).count();
      md.append(Fmt.of("| [%s](#%s) | %s | %d / %d | %s | %s | %s | %s | %s | %s | %s |\n", r.name, r.name,
          r.holds() ? "yes" : "**NO**", ok, r.checks.size(), count(r.events.produced()), count(r.events.exported()),
          count(r.events.compressed()), count(r.events.dropped()), num(r.metrics.get("p99_ms")),
          num(r.metrics.get("stability_score")), num(r.metrics.get("agent_cpu_percent_of_a_core"))));
    }
    md.append("""

        **Stability score** (0 to 100): the share of the run's 1-second windows, fault windows included, in
        which the application's p99 stayed within 1.5x of its steady p99 (the median window p99 outside
        fault windows) and memtrace dropped nothing. **Events** are memtrace's spans as its shutdown line
        counts them: produced = exported + compressed (retention) + dropped. **Agent CPU** is the CPU time
        of memtrace's own threads (consumer, exporters) over the run, in % of one core.
        """);
    for (ScenarioResult r : results) {
      md.append("\n## ").append(r.name).append("\n\n").append(r.description).append(Fmt.of(" (%.0f s)", r.seconds)).append("\n\n");
      md.append("| check | measured | bound | holds |\n|---|---|---|---|\n");
      for (Check c : r.checks) {
        md.append("| ").append(cell(c.what())).append(" | ").append(cell(c.measured())).append(" | ")
            .append(cell(c.bound())).append(" | ").append(c.holds() ? "yes" : "**NO**").append(" |\n");
      }
      if (!r.faults.isEmpty()) {
        md.append("\nFaults: ");
        long t0 = r.run != null ? r.run.t0() : r.faults.get(0).from();
        for (FaultWindow f : r.faults) {
          md.append(Fmt.of("%s from %.1f s to %.1f s; ", f.label(), (f.from() - t0) / 1000.0, (f.to() - t0) / 1000.0));
        }
        md.append('\n');
      }
      md.append("\nMetrics: ");
      r.metrics.forEach((k, v) -> md.append('`').append(k).append("` ").append(v instanceof Number n ? num(n) : v).append(", "));
      md.setLength(md.length() - 2);
      md.append("\n\n");
      for (Path chart : charts.getOrDefault(r.name, List.of())) {
        md.append("![").append(chart.getFileName()).append("](").append(chart.getFileName()).append(")\n");
      }
    }
    Files.writeString(out.resolve("stress-report.md"), md.toString(), StandardCharsets.UTF_8);
  }

  private static String count(long n) {
    return n < 0 ? "n/a" : Fmt.count(n);
  }

  private static String num(Object v) {
    return v instanceof Number n ? Fmt.num(n.doubleValue()) : "n/a";
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
