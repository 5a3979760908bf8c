package io.memtrace.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The side-by-side overhead run: the same Jedis (or, with {@code --client lettuce}, Lettuce)
 * workload, on the same loopback Redis, with no agent, with memtrace, with memtrace not exporting
 * traces, with memtrace and retention on
 * ({@code MEMTRACE_RETENTION_ENABLED=true}), and with the OpenTelemetry Java agent, alternating the
 * variants over several rounds, and with both agents and memtrace as an OpenTelemetry extension;
 * then JVM start-up, on a trivial main, on a main whose first act is a Redis command and on a
 * Spring Boot app; then memtrace's consumer throughput, and its CPU per command with each of the chosen variants
 * memtrace, memtrace-retention and memtrace-retention-keys. Every agent exports to one in-process OTLP sink that discards.
 * The table it prints gives each variant as a ratio to no agent, the median over the rounds of the
 * ratio measured within each round.
 *
 * <p>Options ({@code --name value}): {@code client} ({@code jedis}, or {@code lettuce}: the
 * workload through Lettuce's sync API on one shared connection), {@code rounds} (3),
 * {@code threads} (1,4), {@code warmup} seconds (5), {@code seconds} measured (15), {@code startup-runs} per variant, probe and round
 * (3; 5 with {@code --startup-only}, which measures start-up alone, by default for no agent and
 * memtrace, in about a minute),
 * {@code consumer-seconds} (10, 0 to skip), {@code variants} (none,memtrace,memtrace-noexport,memtrace-retention,otel-agent,
 * otel+memtrace,otel-extension: both agents, and memtrace as an extension of the OpenTelemetry one, skipped
 * with a line saying so when its jar is not built), {@code agent}, {@code otel-agent}, {@code otel-extension},
 * {@code spring-app} (the third start-up probe's fat jar, skipped likewise),
 * {@code redis host:port} (default: an embedded redis-server),
 * {@code jvm-args} (for every fork, space-separated), {@code out} (a directory for logs and the
 * table; default bench/target/overhead).
 */
public final class OverheadHarness {

  /** The variants whose consumer is measured: full capture, and retention without and with its key events. */
  private static final Set<String> CONSUMER_VARIANTS =
      Set.of("memtrace", "memtrace-retention", "memtrace-retention-keys");

  private static final String ALL_VARIANTS =
      "none,memtrace,memtrace-noexport,memtrace-retention,otel-agent,otel+memtrace," + Variant.OTEL_EXTENSION;

  private final Map<String, String> options;
  private final Path benchJar;
  private final Path memtraceJar;
  /** Another build of memtrace to run beside {@link #memtraceJar} (variant memtrace-baseline), or null. */
  private final Path baselineJar;
  private final Path otelJar;
  /** memtrace as an OpenTelemetry extension; its variant is skipped while this is not built. */
  private final Path extensionJar;
  /** The Spring Boot app of the third start-up probe; skipped while this is not built. */
  private final Path springAppJar;
  private final Path out;
  private final List<String> jvmOptions = new ArrayList<>();

  private OverheadHarness(Map<String, String> options) throws Exception {
    this.options = options;
    this.benchJar = Paths.get(OverheadHarness.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Path benchDir = benchJar.getParent().getParent();
    this.memtraceJar = existing(option("agent", benchDir.resolve("../agent/target/memtrace-agent.jar")
        .normalize().toString()), "the memtrace agent (mvn -B package -DskipTests)");
    this.baselineJar = options.containsKey("baseline-agent")
        ? existing(option("baseline-agent", null), "the baseline memtrace agent") : null;
    this.otelJar = existing(option("otel-agent", benchDir.resolve("target/otel/opentelemetry-javaagent.jar")
        .toString()), "the OpenTelemetry Java agent (built into bench/target/otel by mvn package)");
    this.extensionJar = Paths.get(option("otel-extension", benchDir.resolve(
        "../otel-extension/target/memtrace-otel-extension.jar").toString())).toAbsolutePath().normalize();
    this.springAppJar = Paths.get(option("spring-app", benchDir.resolve(
        "../spring-app/target/memtrace-spring-app.jar").toString())).toAbsolutePath().normalize();
    this.out = Paths.get(option("out", benchDir.resolve("target/overhead").toString()));
    Files.createDirectories(out);
    for (String arg : option("jvm-args", "").trim().split("\\s+")) {
      if (!arg.isEmpty()) {
        jvmOptions.add(arg);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--startup-only")) {
        options.put("startup-only", "true");
        continue;
      }
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("usage: overhead.sh [--client jedis|lettuce] [--rounds 3] [--threads 1,4] [--warmup 5] [--seconds 15] "
            + "[--startup-runs 3] [--startup-only] [--consumer-seconds 10] [--variants " + ALL_VARIANTS + "] "
            + "[--redis host:port] [--jvm-args '...'] [--agent jar] [--baseline-agent jar] [--otel-agent jar] [--otel-extension jar] "
            + "[--spring-app jar] [--out dir]");
        System.exit(2);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    new OverheadHarness(options).run();
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  private static Path existing(String path, String what) throws IOException {
    Path p = Paths.get(path).toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new IOException(what + " is not at " + p);
    }
    return p;
  }

  private void run() throws Exception {
    int rounds = Integer.parseInt(option("rounds", "3"));
    List<Integer> threadCounts = new ArrayList<>();
    for (String t : option("threads", "1,4").split(",")) {
      threadCounts.add(Integer.parseInt(t.trim()));
    }
    String warmup = option("warmup", "5");
    String seconds = option("seconds", "15");
    boolean startupOnly = options.containsKey("startup-only");
    int startupRuns = Integer.parseInt(option("startup-runs", startupOnly ? "5" : "3"));
    double consumerSeconds = startupOnly ? 0 : Double.parseDouble(option("consumer-seconds", "10"));
    List<String> wanted = List.of(option("variants",
        startupOnly ? "none,memtrace" : ALL_VARIANTS).split(","));
    Workload workload = Workload.of(option("client", "jedis"));

    Results results = new Results(workload);
    try (DiscardSink sink = new DiscardSink(); LocalRedis redis = LocalRedis.start(option("redis", null))) {
      List<Variant> variants = new ArrayList<>();
      boolean extensionBuilt = Files.isRegularFile(extensionJar);
      for (Variant v : Variant.all(memtraceJar, baselineJar, otelJar, extensionJar, sink.endpoint())) {
        if (wanted.contains(v.name) && (extensionBuilt || !v.name.equals(Variant.OTEL_EXTENSION))) {
          variants.add(v);
        }
      }
      if (!extensionBuilt && wanted.contains(Variant.OTEL_EXTENSION)) {
        notBuilt(results, "variant " + Variant.OTEL_EXTENSION, extensionJar);
      }
      if (!Files.isRegularFile(springAppJar)) {
        notBuilt(results, "the spring-boot start-up probe", springAppJar);
      }
      if (variants.isEmpty() || !variants.get(0).name.equals("none")) {
        throw new IllegalArgumentException("--variants must include 'none', the baseline every ratio is taken against");
      }
      if (startupOnly) {
        log("redis %s:%d, sink %s, start-up only: %d rounds of %d runs per variant and probe",
            redis.host, redis.port, sink.endpoint(), rounds, startupRuns);
      } else {
        log("redis %s:%d, sink %s, client %s, %d rounds, threads %s, %s s warm-up + %s s measured per run",
            redis.host, redis.port, sink.endpoint(), workload.option(), rounds, threadCounts, warmup, seconds);
      }
      results.environment(memtraceJar, otelJar);
      for (int round = 0; round < rounds; round++) {
        for (int threads : startupOnly ? List.<Integer>of() : threadCounts) {
          for (Variant variant : rotated(variants, round + threads)) {
            Path logFile = out.resolve(workload.logPrefix + "-r" + round + "-t" + threads + "-" + variant.name + ".log");
            DiscardSink.Mark before = sink.mark();
            Forks.Outcome outcome = Forks.run(variant, jvmOptions, benchJar, workload.mainClass,
                List.of(redis.host, String.valueOf(redis.port), String.valueOf(threads), warmup, seconds),
                logFile, 600);
            sink.countSince(before, outcome.values);
            results.load(round, threads, variant, outcome);
            log("round %d, %d thread(s), %-18s %,10.0f ops/s  p50 %7.1f µs  p99 %7.1f µs  p99.9 %8.1f µs  "
                    + "CPU %6.2f µs/op  RSS %4.0f MB  spans/cmd %.2f",
                round + 1, threads, variant.name, outcome.get("throughput"), outcome.get("p50_us"),
                outcome.get("p99_us"), outcome.get("p999_us"), outcome.get("cpu_ns_per_op") / 1000,
                outcome.get("peak_rss_kb") / 1024, outcome.get("sink_spans") / outcome.get("total_ops"));
            log("round %d, %d thread(s), %-18s spans by scope: %s", round + 1, threads, variant.name,
                Results.scopeSpans(outcome));
          }
        }
        for (Variant variant : rotated(variants, round)) {
          for (int i = 0; i < startupRuns; i++) {
            for (StartupResults.Probe probe : StartupResults.Probe.values()) {
              Path logFile = out.resolve("startup-" + probe.name + "-r" + round + "-" + i + "-" + variant.name + ".log");
              Forks.Outcome outcome = startup(probe, variant, redis, logFile);
              if (outcome != null) {
                results.startup(probe, round, variant, outcome);
                if (probe == StartupResults.Probe.JEDIS_FIRST && outcome.get("memtrace_exported") == 0) {
                  // memtrace ran but traced nothing (beside the OpenTelemetry agent, it could not instrument Jedis)
                  log("%s: memtrace exported no span for the probe's SET and GET; see %s", variant.name, logFile);
                }
              }
            }
          }
        }
        log("round %d: start-up measured (%d runs per variant and probe)", round + 1, startupRuns);
        for (Variant variant : variants) {
          // full capture's consumer throughput, and what retention and its key events cost memtrace per command
          if (consumerSeconds <= 0 || !CONSUMER_VARIANTS.contains(variant.name)) {
            continue;
          }
          Path logFile = out.resolve("consumer-" + variant.name + "-r" + round + ".log");
          Forks.Outcome outcome = Forks.run(variant, jvmOptions, benchJar, "io.memtrace.bench.ConsumerLoad",
              List.of("3", String.valueOf(consumerSeconds)), logFile, 600);
          results.consumer(variant, outcome);
          log("round %d: %s: consumer exported %,.0f spans/s (wall), %,.0f spans per CPU-second of memtrace's "
                  + "threads, %,.0f ns of their CPU per command (%.2f s; GC and JIT %.2f s; app thread %.2f s)",
              round + 1, variant.name, outcome.get("exported_per_s"), outcome.get("spans_per_cpu_s"),
              outcome.get("agent_ns_per_command"), outcome.get("agent_cpu_s"), outcome.get("other_cpu_s"),
              outcome.get("app_cpu_s"));
        }
      }
    }
    String title = String.format(Locale.ROOT, "%s, %d cores, %s %s, ", LocalDate.now(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"))
        + (startupOnly ? String.format(Locale.ROOT, "start-up only, %d rounds of %d runs per variant and probe", rounds, startupRuns)
        : String.format(Locale.ROOT, "%d rounds of %s s (after %s s warm-up) per variant", rounds, seconds, warmup));
    String table = results.render(title);
    System.out.println();
    System.out.println(table);
    Path tableFile = out.resolve("overhead.md");
    Files.writeString(tableFile, table, StandardCharsets.UTF_8);
    System.out.println("(also written to " + tableFile + "; fork logs in " + out + ")");
  }

  private static void notBuilt(Results results, String what, Path jar) {
    String line = what + ", skipped: not built (no " + jar + ")";
    log("%s", line);
    results.skipped(line);
  }

  /** One run of a start-up probe; the Spring Boot app's only when its jar is built (null otherwise). */
  private Forks.Outcome startup(StartupResults.Probe probe, Variant variant, LocalRedis redis, Path logFile)
      throws IOException, InterruptedException {
    switch (probe) {
      case TRIVIAL:
        return Forks.run(variant, jvmOptions, benchJar, probe.mainClass, List.of(), logFile, 120);
      case JEDIS_FIRST:
        return Forks.run(variant, jvmOptions, benchJar, probe.mainClass,
            List.of(redis.host, String.valueOf(redis.port)), logFile, 120);
      default:
        return !Files.isRegularFile(springAppJar) ? null : Forks.runJar(variant, jvmOptions, springAppJar,
            List.of("--probe", "--redis.host=" + redis.host, "--redis.port=" + redis.port), "probe ok", logFile, 180);
    }
  }

  /** The variants in a different order every round, so no variant always runs first or last. */
  private static List<Variant> rotated(List<Variant> variants, int by) {
    List<Variant> order = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      order.add(variants.get((i + by) % variants.size()));
    }
    return order;
  }

  static void log(String format, Object... args) {
    System.out.println("[overhead] " + String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
