package io.memtrace.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * <p>Its options, and what each defaults to: {@link OverheadOptions}.
 */
public final class OverheadHarness {

  /** The variants whose consumer is measured: full capture, and retention without and with its key events. */
  private static final Set<String> CONSUMER_VARIANTS =
      Set.of("memtrace", "memtrace-retention", "memtrace-retention-keys");

  private final OverheadOptions options;

  private OverheadHarness(OverheadOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    new OverheadHarness(OverheadOptions.parse(args)).run();
  }

  private void run() throws Exception {
    Results results = new Results(options.workload);
    try (DiscardSink sink = new DiscardSink(); LocalRedis redis = LocalRedis.start(options.redis)) {
      List<Variant> variants = new ArrayList<>();
      boolean extensionBuilt = Files.isRegularFile(options.extensionJar);
      for (Variant v : Variant.all(options.memtraceJar, options.baselineJar, options.otelJar, options.extensionJar,
          sink.endpoint())) {
        if (options.wanted.contains(v.name) && (extensionBuilt || !v.name.equals(Variant.OTEL_EXTENSION))) {
          variants.add(v);
        }
      }
      if (!extensionBuilt && options.wanted.contains(Variant.OTEL_EXTENSION)) {
        notBuilt(results, "variant " + Variant.OTEL_EXTENSION, options.extensionJar);
      }
      if (!Files.isRegularFile(options.springAppJar)) {
        notBuilt(results, "the spring-boot start-up probe", options.springAppJar);
      }
      if (variants.isEmpty() || !variants.get(0).name.equals("none")) {
        throw new IllegalArgumentException("--variants must include 'none', the baseline every ratio is taken against");
      }
      if (options.startupOnly) {
        log("redis %s:%d, sink %s, start-up only: %d rounds of %d runs per variant and probe",
            redis.host, redis.port, sink.endpoint(), options.rounds, options.startupRuns);
      } else {
        log("redis %s:%d, sink %s, client %s, %d rounds, threads %s, %s s warm-up + %s s measured per run",
            redis.host, redis.port, sink.endpoint(), options.workload.option(), options.rounds, options.threadCounts,
            options.warmup, options.seconds);
      }
      results.environment(options.memtraceJar, options.otelJar);
      if (options.startupRuns > 0) {
        // one turn not counted: the jars come from the page cache in every counted run, and each agent jar's woven
        // classes are cached as on any start but a host's first (memtrace-coldcache measures that one)
        for (StartupResults.Probe probe : StartupResults.Probe.values()) {
          for (Variant variant : variants) {
            startup(probe, variant, redis, options.out.resolve("startup-" + probe.name + "-warmup-" + variant.name + ".log"));
          }
        }
        log("start-up: a turn of every probe under every variant made, not counted");
      }
      for (int round = 0; round < options.rounds; round++) {
        for (int threads : options.startupOnly ? List.<Integer>of() : options.threadCounts) {
          for (Variant variant : rotated(variants, round + threads)) {
            Path logFile = options.out.resolve(options.workload.logPrefix + "-r" + round + "-t" + threads + "-"
                + variant.name + ".log");
            DiscardSink.Mark before = sink.mark();
            Forks.Outcome outcome = Forks.run(variant, options.jvmOptions, options.benchJar, options.workload.mainClass,
                List.of(redis.host, String.valueOf(redis.port), String.valueOf(threads), options.warmup, options.seconds),
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
        // each run of each probe under every variant in turn, seconds apart: the machine's load (shared with other
        // work) changes little within the pair the report takes each difference from
        for (int i = 0; i < options.startupRuns; i++) {
          for (StartupResults.Probe probe : StartupResults.Probe.values()) {
            for (Variant variant : rotated(variants, round * options.startupRuns + i)) {
              Path logFile = options.out.resolve("startup-" + probe.name + "-r" + round + "-" + i + "-" + variant.name + ".log");
              Forks.Outcome outcome = startup(probe, variant, redis, logFile);
              if (outcome != null) {
                results.startup(probe, round, variant, outcome);
                log("round %d, start-up %-11s run %d, %-18s first reply %6.3f s (CPU %5.2f s), exit %6.3f s",
                    round + 1, probe.name, i + 1, variant.name,
                    (outcome.get("first_reply_epoch_ms") - outcome.startedAtMillis) / 1000,
                    outcome.get("first_reply_cpu_s"), outcome.wallSeconds);
                if (probe == StartupResults.Probe.JEDIS_FIRST && outcome.get("memtrace_exported") == 0) {
                  // memtrace ran but traced nothing (beside the OpenTelemetry agent, it could not instrument Jedis)
                  log("%s: memtrace exported no span for the probe's SET and GET; see %s", variant.name, logFile);
                }
              }
            }
          }
        }
        log("round %d: start-up measured (%d runs per variant and probe)", round + 1, options.startupRuns);
        for (Variant variant : variants) {
          // full capture's consumer throughput, and what retention and its key events cost memtrace per command
          if (options.consumerSeconds <= 0 || !CONSUMER_VARIANTS.contains(variant.name)) {
            continue;
          }
          Path logFile = options.out.resolve("consumer-" + variant.name + "-r" + round + ".log");
          Forks.Outcome outcome = Forks.run(variant, options.jvmOptions, options.benchJar, "io.memtrace.bench.ConsumerLoad",
              List.of("3", String.valueOf(options.consumerSeconds)), logFile, 600);
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
        + (options.startupOnly ? String.format(Locale.ROOT, "start-up only, %d rounds of %d runs per variant and probe",
            options.rounds, options.startupRuns)
        : String.format(Locale.ROOT, "%d rounds of %s s (after %s s warm-up) per variant", options.rounds,
            options.seconds, options.warmup));
    String table = results.render(title);
    System.out.println();
    System.out.println(table);
    Path tableFile = options.out.resolve("overhead.md");
    Files.writeString(tableFile, table, StandardCharsets.UTF_8);
    System.out.println("(also written to " + tableFile + "; fork logs in " + options.out + ")");
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
        return Forks.run(variant, options.jvmOptions, options.benchJar, probe.mainClass, List.of(), logFile, 120);
      case JEDIS_FIRST:
        return Forks.run(variant, options.jvmOptions, options.benchJar, probe.mainClass,
            List.of(redis.host, String.valueOf(redis.port)), logFile, 120);
      default:
        return !Files.isRegularFile(options.springAppJar) ? null : Forks.runJar(variant, options.jvmOptions,
            options.springAppJar, List.of("--probe", "--redis.host=" + redis.host, "--redis.port=" + redis.port),
            "probe ok", logFile, 180);
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
