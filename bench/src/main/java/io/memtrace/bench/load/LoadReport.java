package io.memtrace.bench.load;

import io.memtrace.bench.overhead.Forks;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The load run's results as a two-column markdown table, in the order the issue asks for them. */
final class LoadReport {

  private final Map<String, String> rows = new LinkedHashMap<>();

  /** The application fork and memtrace's own counters from its shutdown line. */
  void app(Forks.Outcome app) {
    double commands = app.get("commands");
    double seconds = app.get("seconds");
    rows.put("commands sent", fmt("%s in %.1f s%s", count(commands), seconds,
        app.get("stopped_by_time") == 1 ? " (stopped by --seconds)" : ""));
    rows.put("commands/s", fmt("%,.0f", app.get("commands_per_s")));
    rows.put("command latency p50 / p99", fmt("%.1f / %.1f µs", app.get("p50_us"), app.get("p99_us")));
    if (app.get("errors") > 0) {
      rows.put("command errors", count(app.get("errors")));
    }
    double exported = app.get("memtrace_exported");
    rows.put("memtrace.events.produced", count(app.get("memtrace_produced")));
    rows.put("memtrace.events.exported", count(exported));
    rows.put("memtrace.events.compressed", count(app.get("memtrace_compressed")));
    double dropped = app.get("memtrace_dropped");
    rows.put("memtrace.events.dropped", Double.isNaN(dropped) ? count(dropped)
        : fmt("%s (%.2f %% of commands)", count(dropped), 100 * dropped / Math.max(1, commands)));
    rows.put("memtrace.export.failures", count(app.get("memtrace_export_failures")));
    double produced = app.get("memtrace_produced");
    double compressed = app.get("memtrace_compressed");
    if (!Double.isNaN(produced) && !Double.isNaN(compressed)) {
      double off = produced - exported - compressed - dropped;
      rows.put("produced = exported + compressed + dropped", off == 0 ? "exact" : fmt("**off by %,.0f**", off));
    }
    rows.put("spans/s exported (exported / load seconds)", Double.isNaN(exported) ? "n/a" : fmt("%,.0f", exported / seconds));
    rows.put("app JVM, start to exit (includes the agent's final export)", fmt("%.1f s", app.wallSeconds));
  }

  /**
   * What serve said about itself: spans received, and every statistic of acknowledgement latency
   * and skipped duplicates its {@code /api/status} has, under whatever name it gives them (a path
   * segment that starts with {@code ack} or names a latency or duplicates); the p99 is the row the
   * issue's target reads.
   */
  void collector(Map<String, String> status, CollectorProcess.Memory memory, String stoppedLine) {
    rows.put("spans received by serve", count(number(status.get("spans_received"))));
    rows.put("serve peak RSS (VmHWM)", memory.describe());
    String p99 = "n/a (this serve's /api/status has no acknowledgement latency)";
    for (Map.Entry<String, String> e : status.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      // ingest_log.*: spans acknowledged and not yet loaded into the store when the run ended
      if (key.matches("(.*[._])?(ack|latency|duplicate|ingest_log).*") || key.contains("_latency")) {
        rows.put("serve status `" + e.getKey() + "`", e.getValue());
        if (key.contains("p99") && key.contains("ack") && p99.startsWith("n/a")) {
          p99 = e.getValue() + " (`" + e.getKey() + "`)";
        }
      }
    }
    rows.put("p99 acknowledgement latency", p99);
    rows.put("serve's line at stop", stoppedLine.replace("|", "\\|"));
  }

  private static double number(String text) {
    try {
      return text == null ? Double.NaN : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  void put(String name, String value) {
    rows.put(name, value);
  }

  Map<String, String> rows() {
    return rows;
  }

  String render(String title) {
    StringBuilder md = new StringBuilder("### ").append(title).append("\n\n| | |\n|---|---:|\n");
    rows.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    return md.toString();
  }

  /** A count, or {@code n/a} for a counter the agent or collector did not print. */
  static String count(double v) {
    return Double.isNaN(v) || v < 0 ? "n/a" : fmt("%,.0f", v);
  }

  static String mib(long kb) {
    return kb < 0 ? "n/a" : fmt("%,.0f MiB", kb / 1024.0);
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
