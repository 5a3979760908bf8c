package io.memtrace.bench.overhead;

import static io.memtrace.bench.overhead.RoundStats.check;
import static io.memtrace.bench.overhead.RoundStats.fmt;
import static io.memtrace.bench.overhead.RoundStats.median;
import static io.memtrace.bench.overhead.RoundStats.medianList;
import static io.memtrace.bench.overhead.RoundStats.pairedMedian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the harness measured, and the markdown it becomes. Every ratio is taken within one round
 * (variant / no agent, both measured minutes apart on the same machine), and the table shows the
 * median of those per-round ratios, so a slow patch of the machine that hits one round does not
 * move the result much. Absolute values are medians over the rounds too.
 */
final class Results {

  /** The key of an outcome's value that counts the spans the sink received of one scope: this, then the scope's name. */
  static final String SCOPE_SPANS = "sink_spans_of_scope ";

  private final Workload workload;
  /** threads → variant name → outcomes by round. */
  private final Map<Integer, Map<String, Map<Integer, Forks.Outcome>>> load = new TreeMap<>();
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final StartupResults startup = new StartupResults();
  private final List<Forks.Outcome> consumer = new ArrayList<>();
  /** variant name → its consumer runs, for the variants whose memtrace CPU per command is compared. */
  private final Map<String, List<Forks.Outcome>> consumerCost = new LinkedHashMap<>();
  private long memtraceJarBytes;
  private long otelJarBytes;
  /** What was not measured and why (a variant or probe whose jar is not built), shown under the title. */
  private final List<String> skipped = new ArrayList<>();

  Results(Workload workload) {
    this.workload = workload;
  }

  void environment(Path memtraceJar, Path otelJar) throws IOException {
    memtraceJarBytes = Files.size(memtraceJar);
    otelJarBytes = Files.size(otelJar);
  }

  void load(int round, int threads, Variant variant, Forks.Outcome outcome) {
    labels.putIfAbsent(variant.name, variant.label);
    load.computeIfAbsent(threads, t -> new LinkedHashMap<>())
        .computeIfAbsent(variant.name, v -> new TreeMap<>()).put(round, outcome);
  }

  void startup(StartupResults.Probe probe, int round, Variant variant, Forks.Outcome outcome) {
    startup.record(probe, round, variant, outcome);
  }

  void skipped(String what) {
    skipped.add(what);
  }

  void consumer(Variant variant, Forks.Outcome outcome) {
    labels.putIfAbsent(variant.name, variant.label);
    if (variant.name.equals("memtrace")) {
      consumer.add(outcome);
    }
    consumerCost.computeIfAbsent(variant.name, v -> new ArrayList<>()).add(outcome);
  }

  String render(String title) {
    StringBuilder md = new StringBuilder();
    md.append("### memtrace overhead, side by side: ").append(title).append("\n\n");
    for (String s : skipped) {
      md.append("Not measured: ").append(s).append(".\n\n");
    }
    if (!load.isEmpty()) {
      md.append(workload.description).append(", exported over OTLP/HTTP protobuf to one local sink that discards. "
          + "Values are medians over the rounds; `×` is the median of the per-round ratios to no agent.\n\n");
    }
    List<String> checks = new ArrayList<>();
    for (Map.Entry<Integer, Map<String, Map<Integer, Forks.Outcome>>> byThreads : load.entrySet()) {
      int threads = byThreads.getKey();
      Map<String, Map<Integer, Forks.Outcome>> variants = byThreads.getValue();
      Map<Integer, Forks.Outcome> base = variants.get("none");
      md.append("**").append(threads).append(threads == 1 ? " thread" : " threads").append("**\n\n");
      md.append("| variant | ops/s | × | p50 µs | × | p99 µs | × | p99.9 µs | × | CPU µs/op | × | peak RSS MB | +MB | spans/cmd |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Map.Entry<String, Map<Integer, Forks.Outcome>> v : variants.entrySet()) {
        Map<Integer, Forks.Outcome> runs = v.getValue();
        md.append("| ").append(labels.get(v.getKey()))
            .append(" | ").append(fmt("%,.0f", median(runs, o -> o.get("throughput"))))
            .append(" | ").append(ratio(runs, base, "throughput"))
            .append(" | ").append(fmt("%.1f", median(runs, o -> o.get("p50_us"))))
            .append(" | ").append(ratio(runs, base, "p50_us"))
            .append(" | ").append(fmt("%.1f", median(runs, o -> o.get("p99_us"))))
            .append(" | ").append(ratio(runs, base, "p99_us"))
            .append(" | ").append(fmt("%.1f", median(runs, o -> o.get("p999_us"))))
            .append(" | ").append(ratio(runs, base, "p999_us"))
            .append(" | ").append(fmt("%.2f", median(runs, o -> o.get("cpu_ns_per_op") / 1000)))
            .append(" | ").append(ratio(runs, base, "cpu_ns_per_op"))
            .append(" | ").append(fmt("%.0f", median(runs, o -> o.get("peak_rss_kb") / 1024)))
            .append(" | ").append(fmt("%+.0f", pairedMedian(runs, base, (o, b) -> (o.get("peak_rss_kb") - b.get("peak_rss_kb")) / 1024)))
            .append(" | ").append(fmt("%.2f", median(runs, o -> o.get("sink_spans") / o.get("total_ops"))))
            .append(" |\n");
      }
      md.append('\n');
      spansByScope(md, variants);
      Map<Integer, Forks.Outcome> memtrace = variants.get("memtrace");
      Map<Integer, Forks.Outcome> otel = variants.get("otel-agent");
      if (memtrace != null) {
        double dropped = median(memtrace, o -> o.get("memtrace_dropped") / Math.max(1, o.get("total_ops")));
        md.append(fmt("memtrace dropped %.2f %% of its events (ring full; counted in memtrace.events.dropped).", dropped * 100));
        if (otel != null) {
          double vsOtel = pairedMedian(memtrace, otel, (m, o) -> m.get("throughput") / o.get("throughput"));
          md.append(fmt(" memtrace throughput / OpenTelemetry agent throughput: **%.2f×**.", vsOtel));
          if (threads == 4) {
            checks.add(check("throughput vs OpenTelemetry agent, 4 threads", vsOtel, ">=", 1.25, "×"));
          }
        }
        md.append("\n\n");
        double tput = pairedMedian(memtrace, base, (m, b) -> m.get("throughput") / b.get("throughput"));
        double p99 = pairedMedian(memtrace, base, (m, b) -> m.get("p99_us") / b.get("p99_us"));
        double rss = pairedMedian(memtrace, base, (m, b) -> (m.get("peak_rss_kb") - b.get("peak_rss_kb")) / 1024);
        if (threads == 4) {
          checks.add(check("throughput vs no agent, 4 threads", tput, ">=", 0.95, "×"));
        }
        checks.add(check("p99 vs no agent, " + threads + (threads == 1 ? " thread" : " threads"), p99, "<=", 1.3, "×"));
        checks.add(check("extra peak RSS under load, " + threads + (threads == 1 ? " thread" : " threads"), rss, "<", 40, " MB"));
        Map<Integer, Forks.Outcome> retention = variants.get("memtrace-retention");
        if (retention != null) {
          retention(md, checks, threads, retention, memtrace, base);
        }
      }
    }

    startup.render(md, checks);

    md.append(fmt("**Agent jars**: memtrace %.2f MB, OpenTelemetry Java agent %.2f MB (MB = 2^20 bytes).\n\n",
        memtraceJarBytes / 1048576.0, otelJarBytes / 1048576.0));
    checks.add(check("agent jar size", memtraceJarBytes / 1048576.0, "<=", 6, " MB"));

    if (!consumer.isEmpty()) {
      double wall = medianList(consumer, o -> o.get("exported_per_s"));
      double perCpu = medianList(consumer, o -> o.get("spans_per_cpu_s"));
      double dropped = medianList(consumer, o -> o.get("dropped") / Math.max(1, o.get("published") + o.get("dropped")));
      md.append(fmt("**Consumer throughput** (one app thread sending GETs over an in-memory socket, so memtrace's "
          + "consumer is the bottleneck; median of %d runs): %,.0f spans/s exported and acknowledged (wall clock); "
          + "%,.0f spans per CPU-second of memtrace's threads (consumer, OTLP sender, HTTP client); "
          + "%.0f %% of events dropped at the full ring.\n\n", consumer.size(), wall, perCpu, dropped * 100));
      checks.add(check("consumer spans/s on one core", perCpu, ">=", 500_000, " spans/s"));
    }
    if (consumerCost.size() > 1) {
      md.append("**memtrace's CPU per command** (the same workload; consumer, OTLP sender and HTTP client threads; median "
          + "of each variant's runs):\n\n| variant | ns per command | commands compressed |\n|---|---:|---:|\n");
      consumerCost.forEach((name, runs) -> md.append(fmt("| %s | %,.0f | %.0f %% |\n", labels.get(name),
          medianList(runs, o -> o.get("agent_ns_per_command")),
          medianList(runs, o -> o.get("compressed") / Math.max(1, o.get("commands"))) * 100)));
      md.append('\n');
    }

    md.append("**Targets**\n\n| target | measured | |\n|---|---:|---|\n");
    for (String c : checks) {
      md.append(c).append('\n');
    }
    return md.toString();
  }

  /**
   * Which instrumentation the spans/cmd column counted: per variant that exported any, the spans of
   * each scope per command sent, medians over the rounds.
   */
  private static void spansByScope(StringBuilder md, Map<String, Map<Integer, Forks.Outcome>> variants) {
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, Map<Integer, Forks.Outcome>> v : variants.entrySet()) {
      Set<String> scopes = new TreeSet<>();
      v.getValue().values().forEach(o -> o.values.keySet().stream().filter(k -> k.startsWith(SCOPE_SPANS))
          .forEach(k -> scopes.add(k.substring(SCOPE_SPANS.length()))));
      if (scopes.isEmpty()) {
        continue;
      }
      line.append(line.length() == 0 ? "" : "; ").append(v.getKey()).append(':');
      for (String scope : scopes) {
        double perCommand = median(v.getValue(), o -> scopeSpans(o, scope) / o.get("total_ops"));
        line.append(" `").append(scope.isEmpty() ? "(no name)" : scope).append("` ").append(perCommand(perCommand));
      }
    }
    if (line.length() > 0) {
      md.append("Spans per command by instrumentation scope (medians): ").append(line).append(".\n\n");
    }
  }

  /** The spans of {@code scope} the sink received from this fork. */
  private static double scopeSpans(Forks.Outcome outcome, String scope) {
    Double n = outcome.values.get(SCOPE_SPANS + scope);
    return n == null ? 0 : n;
  }

  /** A fork's spans by scope, for the harness's log: {@code scope=count ...}, or "none". */
  static String scopeSpans(Forks.Outcome outcome) {
    StringBuilder line = new StringBuilder();
    outcome.values.forEach((key, n) -> {
      if (key.startsWith(SCOPE_SPANS)) {
        line.append(line.length() == 0 ? "" : " ").append(key.substring(SCOPE_SPANS.length()))
            .append('=').append(fmt("%.0f", n));
      }
    });
    return line.length() == 0 ? "none" : line.toString();
  }

  /** Spans per command: two decimals, or two significant digits below 0.01 (retention's few). */
  private static String perCommand(double v) {
    return v == 0 || v >= 0.01 ? fmt("%.2f", v) : fmt("%.2g", v);
  }

  /**
   * Retention on against memtrace with it off, same round: spans the sink got per command, and the
   * issue-14 targets (at 4 threads) of ≥ 90 % fewer spans exported, ≥ 0.97× throughput, p99 ≤ 1.3×.
   */
  private static void retention(StringBuilder md, List<String> checks, int threads, Map<Integer, Forks.Outcome> on,
      Map<Integer, Forks.Outcome> off, Map<Integer, Forks.Outcome> base) {
    double fewer = pairedMedian(on, off, (r, m) -> 1 - (r.get("sink_spans") / r.get("total_ops"))
        / (m.get("sink_spans") / m.get("total_ops")));
    double compressed = median(on, o -> o.get("memtrace_compressed"));
    md.append(fmt("memtrace with retention on: %.3f spans exported per command, **%.1f %% fewer** than with retention "
            + "off; memtrace.events.compressed %s, exported %,.0f, dropped %,.0f (medians over the rounds).\n\n",
        median(on, o -> o.get("sink_spans") / o.get("total_ops")), fewer * 100,
        Double.isNaN(compressed) ? "n/a (this agent prints no such counter)" : fmt("%,.0f", compressed),
        median(on, o -> o.get("memtrace_exported")), median(on, o -> o.get("memtrace_dropped"))));
    if (threads == 4) {
      checks.add(check("retention on: spans exported, fewer than retention off, 4 threads", fewer * 100, ">=", 90, " %"));
      checks.add(check("retention on: throughput vs no agent, 4 threads",
          pairedMedian(on, base, (r, b) -> r.get("throughput") / b.get("throughput")), ">=", 0.97, "×"));
      checks.add(check("retention on: p99 vs no agent, 4 threads",
          pairedMedian(on, base, (r, b) -> r.get("p99_us") / b.get("p99_us")), "<=", 1.3, "×"));
    }
  }

  private static String ratio(Map<Integer, Forks.Outcome> runs, Map<Integer, Forks.Outcome> base, String key) {
    return fmt("%.2f", pairedMedian(runs, base, (o, b) -> o.get(key) / b.get(key)));
  }
}
