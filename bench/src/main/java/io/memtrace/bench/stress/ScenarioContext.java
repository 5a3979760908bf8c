package io.memtrace.bench.stress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario runs with: its settings, the built jars, its own output directory, and the way
 * to start a rig and the stress application against it, under the agent or without one.
 */
public final class ScenarioContext {

  final StressConfig config;
  final StressConfig.Scenario settings;
  final Layout layout;
  final Path dir;
  final String scenario;
  final double durationOverride;

  ScenarioContext(StressConfig config, String scenario, Layout layout, Path dir, double durationOverride) {
    this.config = config;
    this.scenario = scenario;
    this.settings = config.scenario(scenario);
    this.layout = layout;
    this.dir = dir;
    this.durationOverride = durationOverride;
  }

  /** The scenario's measured seconds: {@code --duration} when given, else its configured duration. */
  double duration() {
    return durationOverride > 0 ? durationOverride : settings.get("duration");
  }

  /** A setting in seconds, per mode where the file gives one per mode. */
  double seconds(String key) {
    return settings.get(key);
  }

  /** The scenario's own {@code warmup} when it has one, else the suite's. */
  double warmup() {
    return settings.has("warmup") ? settings.get("warmup") : config.warmup();
  }

  Rig rig(List<String> redisSettings) throws IOException, InterruptedException {
    return Rig.start(layout, dir, redisSettings, config.collectorNice());
  }

  /** The service name a run of this scenario exports as, so the collector can count its spans. */
  String service(String run) {
    return "stress-" + scenario + "-" + run;
  }

  /** Common arguments of the application: Redis, workload, threads, seconds, warm-up. */
  List<String> appArgs(Rig rig, String workload, String threads, double seconds) {
    return new ArrayList<>(List.of("--redis", rig.redisAddress(), "--workload", workload, "--threads", threads,
        "--seconds", String.valueOf(Math.round(seconds)), "--warmup", String.valueOf(Math.round(warmup()))));
  }

  /**
   * {@link #appArgs(Rig, String, String, double)} with the scenario's {@code threads}, and for each of {@code keys}
   * the scenario sets ({@code rate}, {@code leak-rate}, ...) the application's option of that name with its value.
   */
  List<String> appArgs(Rig rig, String workload, double seconds, String... keys) {
    List<String> args = appArgs(rig, workload, String.valueOf(settings.integer("threads")), seconds);
    for (String key : keys) {
      if (settings.has(key)) {
        args.addAll(List.of("--" + key, fmt(settings.get(key))));
      }
    }
    return args;
  }

  /** The mixed workload's arguments: the scenario's {@code threads}, and its {@code rate} when it sets one. */
  List<String> mixedArgs(Rig rig, double seconds) {
    return appArgs(rig, "mixed", seconds, "rate");
  }

  /**
   * The mixed workload under the agent, started and measuring ({@link AppFork#t0}), for a scenario that plays its
   * faults while it runs.
   */
  AppFork startMixed(Rig rig, double seconds) throws IOException, InterruptedException {
    AppFork fork = startTraced(rig, mixedArgs(rig, seconds));
    fork.awaitStart(120);
    return fork;
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** Starts the application; under the agent it exports through the rig's proxy as {@link #service}. */
  AppFork start(Rig rig, String run, boolean agent, List<String> jvmOptions, Map<String, String> env, List<String> args)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>(config.agentEnvironment());
    all.put("OTEL_SERVICE_NAME", service(run));
    all.put("OTEL_EXPORTER_OTLP_ENDPOINT", rig.proxy.endpoint());
    all.putAll(env);
    return AppFork.start(layout, run, agent, jvmOptions, all, args, dir);
  }

  /** {@link #start} under the agent as {@code memtrace}, with no JVM options or environment of its own. */
  AppFork startTraced(Rig rig, List<String> args) throws IOException {
    return start(rig, "memtrace", true, List.of(), Map.of(), args);
  }

  /** Starts, waits for the end, and returns the run with Redis's memory on each sample. */
  AppRun run(Rig rig, String run, boolean agent, List<String> jvmOptions, Map<String, String> env, List<String> args,
      double expectedSeconds) throws IOException, InterruptedException {
    AppFork fork = start(rig, run, agent, jvmOptions, env, args);
    fork.awaitStart(120);
    return finish(rig, fork, expectedSeconds);
  }

  /** {@link #run} under the agent as {@code memtrace}, with no JVM options or environment of its own. */
  AppRun traced(Rig rig, List<String> args, double expectedSeconds) throws IOException, InterruptedException {
    return run(rig, "memtrace", true, List.of(), Map.of(), args, expectedSeconds);
  }

  /** {@link #run} without an agent as {@code none}, with no JVM options or environment of its own. */
  AppRun plain(Rig rig, List<String> args, double expectedSeconds) throws IOException, InterruptedException {
    return run(rig, "none", false, List.of(), Map.of(), args, expectedSeconds);
  }

  /** The seed's metrics of {@code run}, a run under the agent, with the file's {@code stability.p99-factor}. */
  void metrics(ScenarioResult result, Rig rig, AppRun run) {
    Verdicts.metrics(result, run, rig.redisWatch, config.number("stability", "p99-factor"));
  }

  AppRun finish(Rig rig, AppFork fork, double expectedSeconds) throws IOException, InterruptedException {
    AppRun done = fork.finish((long) expectedSeconds + 120);
    return done.withSamples(rig.redisWatch.annotate(done.samples()));
  }
}
