package io.memtrace.bench.load;

import io.memtrace.bench.overhead.DiscardSink;
import io.memtrace.bench.overhead.Forks;
import io.memtrace.bench.overhead.LocalRedis;
import io.memtrace.bench.overhead.Variant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load run of issue 14 ({@code bench/load.sh}): a 4-thread application ({@link LoadApp}) in a
 * forked JVM sends SET then GET on distinct keys to a real local redis-server, with the real
 * memtrace agent attached with its defaults, exporting to a real {@code memtrace-collector serve}
 * on a free loopback port with a fresh data directory (or to an in-process sink that discards).
 * Bounded by {@code --commands} and {@code --seconds}. Then it stops serve, reads what it and the
 * agent counted, starts serve again on the resulting store and times the duplicate check, the
 * example queries and {@code report}. With {@code --store DIR} it only times an existing store (e.g.
 * the 10M-span one the ingest benchmark leaves).
 */
public final class LoadHarness {

  private final LoadOptions options;

  private LoadHarness(LoadOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("load.sh: " + e.getMessage() + "\n" + LoadOptions.USAGE);
      System.exit(2);
      return;
    }
    new LoadHarness(options).run();
  }

  private void run() throws Exception {
    Path out = options.out.resolve(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", ""));
    Files.createDirectories(out);
    LoadReport report = new LoadReport();
    String started = loadAverage();
    String title;
    if (options.store != null) {
      title = "Store timings of " + options.store;
      timings(options.store, out, report);
    } else {
      title = LoadReport.fmt("Load run: %s commands max, %d threads, sink %s, retention %s%s", LoadReport.count(options.commands),
          options.threads, options.sink, options.retention ? "on" : "off",
          options.rate > 0 ? LoadReport.fmt(", paced to %,.0f commands/s", options.rate) : "");
      load(out, report);
    }
    report.put("load average (1, 5, 15 min) at start / at end", started + " / " + loadAverage());
    String table = report.render(title + ", " + Instant.now().truncatedTo(ChronoUnit.MINUTES) + ", "
        + Runtime.getRuntime().availableProcessors() + " cores");
    System.out.println();
    System.out.println(table);
    Files.writeString(out.resolve("load.md"), table, StandardCharsets.UTF_8);
    System.out.println("(also written to " + out.resolve("load.md") + "; logs and the store in " + out + ")");
  }

  private void load(Path out, LoadReport report) throws Exception {
    Path data = out.resolve("collector-data");
    try (LocalRedis redis = LocalRedis.start(options.redis);
         DiscardSink sink = options.sink.equals("discard") ? new DiscardSink() : null;
         CollectorProcess serve = sink == null
             ? CollectorProcess.start(options.collectorJar, data, options.serveArgs, out.resolve("serve.log")) : null) {
      String endpoint = sink != null ? sink.endpoint() : serve.url.toString();
      log("redis %s:%d, agent %s, exporting to %s (%s)", redis.host, redis.port, options.agentJar, endpoint,
          options.sink);
      Map<String, String> env = new LinkedHashMap<>();
      env.put("OTEL_SERVICE_NAME", "load");
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
      env.putAll(options.retention ? Variant.RETENTION_ON : Variant.RETENTION_OFF);
      env.putAll(options.agentEnv);
      Variant memtrace = Variant.of("memtrace", "memtrace", List.of("-javaagent:" + options.agentJar), env);
      List<String> args = List.of(redis.host, String.valueOf(redis.port), String.valueOf(options.threads),
          String.valueOf(options.commands), String.valueOf(options.seconds), String.valueOf(options.rate),
          String.valueOf(options.valueBytes));
      Forks.Outcome app = Forks.run(memtrace, options.jvmArgs, options.benchJar, LoadApp.class.getName(), args,
          out.resolve("app.log"), (long) options.seconds + 600);
      log("app: %,.0f commands in %.1f s; agent: exported %s, dropped %s", app.get("commands"), app.get("seconds"),
          LoadReport.count(app.get("memtrace_exported")), LoadReport.count(app.get("memtrace_dropped")));
      report.app(app);
      if (options.retention && Double.isNaN(app.get("memtrace_compressed"))) {
        report.put("retention", "asked for (MEMTRACE_RETENTION_ENABLED=true), but this agent printed no "
            + "memtrace.events.compressed: it has no retention");
      }
      if (sink != null) {
        Thread.sleep(500); // the agent's last export was acknowledged before it exited; this is slack only
        report.put("spans received by the discard sink", LoadReport.count(sink.spans()));
        return;
      }
      Map<String, String> status = FlatJson.parse(serve.status());
      String stopped = serve.stop();
      report.collector(status, serve.memory(), stopped);
    }
    log("serve stopped; timing the resulting store");
    timings(data, out, report);
  }

  private void timings(Path data, Path out, LoadReport report) throws Exception {
    StoreTimings t = StoreTimings.measure(options.collectorJar, data, options.serveArgs, out);
    t.render(report.rows());
  }

  /** The 1, 5 and 15-minute load averages from /proc, or n/a. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "n/a";
    }
  }

  static void log(String format, Object... args) {
    System.out.println("[load] " + String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
