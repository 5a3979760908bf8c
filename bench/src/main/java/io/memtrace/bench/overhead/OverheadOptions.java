package io.memtrace.bench.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The overhead run's command line, read once with its defaults: the jars to compare, where the logs go, and how
 * often and how long each variant runs.
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
final class OverheadOptions {

  static final String ALL_VARIANTS =
      "none,memtrace,memtrace-noexport,memtrace-retention,otel-agent,otel+memtrace," + Variant.OTEL_EXTENSION;

  private final Map<String, String> options;
  /** This harness's own jar, the class path of every workload and probe it forks. */
  final Path benchJar;
  final Path memtraceJar;
  /** Another build of memtrace to run beside {@link #memtraceJar} (variant memtrace-baseline), or null. */
  final Path baselineJar;
  final Path otelJar;
  /** memtrace as an OpenTelemetry extension; its variant is skipped while this is not built. */
  final Path extensionJar;
  /** The Spring Boot app of the third start-up probe; skipped while this is not built. */
  final Path springAppJar;
  final Path out;
  final List<String> jvmOptions = new ArrayList<>();

  final int rounds;
  final List<Integer> threadCounts = new ArrayList<>();
  final String warmup;
  final String seconds;
  final boolean startupOnly;
  final int startupRuns;
  final double consumerSeconds;
  /** The variants asked for, by name. */
  final List<String> wanted;
  final Workload workload;
  /** {@code host:port} of a Redis to use, or null for an embedded redis-server. */
  final String redis;

  private OverheadOptions(Map<String, String> options) throws Exception {
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
    this.rounds = Integer.parseInt(option("rounds", "3"));
    for (String t : option("threads", "1,4").split(",")) {
      threadCounts.add(Integer.parseInt(t.trim()));
    }
    this.warmup = option("warmup", "5");
    this.seconds = option("seconds", "15");
    this.startupOnly = options.containsKey("startup-only");
    this.startupRuns = Integer.parseInt(option("startup-runs", startupOnly ? "5" : "3"));
    this.consumerSeconds = startupOnly ? 0 : Double.parseDouble(option("consumer-seconds", "10"));
    this.wanted = List.of(option("variants",
        startupOnly ? "none,memtrace" : ALL_VARIANTS).split(","));
    this.workload = Workload.of(option("client", "jedis"));
    this.redis = option("redis", null);
  }

  /** Reads {@code args}; on a malformed command line prints the usage and exits with status 2. */
  static OverheadOptions parse(String[] args) throws Exception {
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
    return new OverheadOptions(options);
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
}
