package io.memtrace.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs {@link JedisCommandBench}, {@link MemoryManagerBench} and {@link LettuceCommandBench} twice
 * with {@code -prof gc}: in plain JVMs (baseline) and in JVMs started with
 * {@code -javaagent:memtrace-agent.jar=config=memtrace-bench.yaml -Dotel.traces.exporter=none
 * -Dotel.metrics.exporter=none}, then prints what the agent adds per operation: wall-clock time,
 * CPU time and allocated bytes of the application thread, and all-thread allocation. The YAML
 * (a resource of this jar, written to a temporary file) instruments only the memory manager of
 * {@link MemoryManagerBench}; the Jedis and Lettuce benchmarks never load it.
 *
 * <p>Settings (system properties of this launcher JVM):
 * <ul>
 *   <li>{@code memtrace.agent.jar}: the agent; default {@code agent/target/memtrace-agent.jar} next
 *       to the {@code bench} directory this jar was built in</li>
 *   <li>{@code bench.forks} (2), {@code bench.warmupIterations} (3), {@code bench.warmupTime} (1s),
 *       {@code bench.iterations} (5), {@code bench.time} (1s)</li>
 *   <li>{@code bench.include}: regex on benchmark method names (all: {@code get}, {@code set},
 *       {@code pipelineSet10}, {@code store}, {@code retrieve}, {@code lettuceGet}, {@code lettuceSet})</li>
 *   <li>{@code bench.config}: the memtrace YAML of the agent run instead of the bundled
 *       {@code memtrace-bench.yaml}</li>
 *   <li>{@code bench.appWork}: comma-separated {@code Blackhole.consumeCPU} tokens of simulated
 *       application work per operation (default 0: commands back to back)</li>
 *   <li>{@code bench.jvmArgs}: JVM options of both runs' forks (default {@code -Xms1g -Xmx1g})</li>
 *   <li>{@code bench.agentJvmArgs}: extra JVM options of the agent run only, e.g.
 *       {@code -Dmemtrace.ring.size=1024}</li>
 *   <li>{@code bench.out}: also write the comparison table to this file</li>
 * </ul>
 */
public final class OverheadBench {

  static final String AGENT_JAR_PROPERTY = "memtrace.agent.jar";
  private static final String AGENT_JAR = "agent/target/memtrace-agent.jar";
  static final String CONFIG_PROPERTY = "bench.config";
  private static final String CONFIG_RESOURCE = "/memtrace-bench.yaml";
  private static final List<Class<?>> BENCHMARKS =
      List.of(JedisCommandBench.class, MemoryManagerBench.class, LettuceCommandBench.class);
  private static final String ALLOC_NORM = "gc.alloc.rate.norm";
  private static final String GC_COUNT = "gc.count";
  private static final String GC_TIME = "gc.time";
  private static final String APP_OPS = "ops";
  private static final String APP_BYTES = "appThreadBytes";
  private static final String APP_CPU = "appThreadCpuNanos";
  private static final String AGENT_PUBLISHED = "agentPublished";
  private static final String AGENT_DROPPED = "agentDropped";
  private static final double CONFIDENCE = 0.999;

  /** Redis commands per benchmark operation, to show the cost per command as well. */
  private static final Map<String, Integer> COMMANDS_PER_OP = Map.of(
      "get", 1, "set", 1, "pipelineSet10", JedisCommandBench.PIPELINE_LENGTH,
      "store", 1, "retrieve", 1, "lettuceGet", 1, "lettuceSet", 1);

  private OverheadBench() {
  }

  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
      System.out.println("usage: java [-Dmemtrace.agent.jar=...] [-Dbench.forks=2] "
          + "[-Dbench.warmupIterations=3] [-Dbench.warmupTime=1s] [-Dbench.iterations=5] "
          + "[-Dbench.time=1s] [-Dbench.include=REGEX] [-Dbench.appWork=0,1000] "
          + "[-Dbench.jvmArgs=\"-Xms1g -Xmx1g\"] [-Dbench.agentJvmArgs=...] "
          + "[-Dbench.config=memtrace.yaml] [-Dbench.out=FILE] "
          + "-jar memtrace-bench.jar");
      return;
    }
    Path agentJar = agentJar();
    Path config = agentConfig();
    System.out.println("# memtrace overhead benchmark; agent: " + agentJar + "; config: " + config);

    Map<String, RunResult> baseline = run(false, agentJar, config);
    Map<String, RunResult> agent = run(true, agentJar, config);

    String table = table(baseline, agent, agentJar);
    System.out.println();
    System.out.print(table);
    String out = System.getProperty("bench.out");
    if (out != null && !out.isBlank()) {
      Files.writeString(Paths.get(out), table, StandardCharsets.UTF_8);
      System.out.println("(written to " + Paths.get(out).toAbsolutePath() + ")");
    }
  }

  private static Map<String, RunResult> run(boolean withAgent, Path agentJar, Path config)
      throws RunnerException {
    List<String> jvmArgs =
        new ArrayList<>(split(System.getProperty("bench.jvmArgs", "-Xms1g -Xmx1g")));
    jvmArgs.add("-D" + JedisCommandBench.EXPECT_AGENT + "=" + withAgent);
    String include = System.getProperty("bench.include", ".*");
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(benchmarkPattern(include))
        .forks(intProperty("bench.forks", 2))
        .warmupIterations(intProperty("bench.warmupIterations", 3))
        .warmupTime(TimeValue.fromString(System.getProperty("bench.warmupTime", "1s")))
        .measurementIterations(intProperty("bench.iterations", 5))
        .measurementTime(TimeValue.fromString(System.getProperty("bench.time", "1s")))
        .threads(1)
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .param("appWork", split(System.getProperty("bench.appWork", "0").replace(',', ' '))
            .toArray(new String[0]))
        .jvmArgs(jvmArgs.toArray(new String[0]));
    if (withAgent) {
      List<String> agentArgs = new ArrayList<>();
      agentArgs.add("-javaagent:" + agentJar + "=config=" + config);
      agentArgs.add("-Dotel.traces.exporter=none");
      agentArgs.add("-Dotel.metrics.exporter=none"); // the agent's metrics would go to OTLP/HTTP
      agentArgs.addAll(split(System.getProperty("bench.agentJvmArgs", "")));
      options.jvmArgsAppend(agentArgs.toArray(new String[0]));
    }
    System.out.println();
    System.out.println("# ---- " + (withAgent ? "with memtrace agent" : "baseline, no agent")
        + " ----");
    Collection<RunResult> results = new Runner(options.build()).run();
    if (results.isEmpty()) {
      throw new RunnerException("no benchmark matched bench.include=" + include);
    }
    Map<String, RunResult> byName = new LinkedHashMap<>();
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      String appWork = result.getParams().getParam("appWork");
      if (appWork != null && !appWork.equals("0")) {
        name += " w=" + appWork;
      }
      byName.put(name, result);
    }
    return byName;
  }

  /** JMH include regex: the methods of {@link #BENCHMARKS} whose names match {@code include}. */
  static String benchmarkPattern(String include) {
    StringBuilder classes = new StringBuilder();
    for (Class<?> type : BENCHMARKS) {
      classes.append(classes.length() == 0 ? "" : "|").append(Pattern.quote(type.getName()));
    }
    return "^(" + classes + ")\\.(" + include + ")$";
  }

  /**
   * The memtrace YAML of the agent run: {@code -Dbench.config}, else the bundled
   * {@code memtrace-bench.yaml} written to a temporary file that is deleted when this JVM exits.
   */
  static Path agentConfig() throws IOException {
    String configured = System.getProperty(CONFIG_PROPERTY);
    Path path;
    if (configured != null && !configured.isBlank()) {
      path = Paths.get(configured).toAbsolutePath().normalize();
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(CONFIG_PROPERTY + "=" + configured + ": no such file");
      }
    } else {
      try (InputStream in = OverheadBench.class.getResourceAsStream(CONFIG_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(CONFIG_RESOURCE + " is missing from the bench jar");
        }
        path = Files.createTempFile("memtrace-bench-", ".yaml").toAbsolutePath();
        path.toFile().deleteOnExit();
        Files.copy(in, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (path.toString().contains(",")) {
      // the agent splits its arguments at commas
      throw new IllegalArgumentException("the memtrace config path must not contain ',': " + path);
    }
    return path;
  }

  static String table(Map<String, RunResult> baseline, Map<String, RunResult> agent,
      Path agentJar) {
    StringBuilder out = new StringBuilder();
    RunResult any = baseline.values().iterator().next();
    out.append(String.format(Locale.ROOT, "memtrace agent overhead on the application thread "
            + "(Jedis 5.2.0 and Lettuce 6.6.0, fake in-memory connections, agent %s with memtrace-bench.yaml, "
            + "OTel exporters none)%n", agentJar.getFileName()));
    out.append(String.format(Locale.ROOT, "%d fork(s) x %d measurement iteration(s) of %s per "
            + "side, after %d x %s warmup; JVM %s; ± = %.1f%% confidence interval%n",
        any.getParams().getForks(), any.getParams().getMeasurement().getCount(),
        any.getParams().getMeasurement().getTime(), any.getParams().getWarmup().getCount(),
        any.getParams().getWarmup().getTime(), any.getParams().getJdkVersion(), CONFIDENCE * 100));

    out.append("\nWall-clock time (ns/op, JMH score)\n");
    String timeRow = "%-18s %20s %20s %20s %12s%n";
    out.append(String.format(Locale.ROOT, timeRow, "benchmark", "baseline", "with agent",
        "added", "added/cmd"));
    for (Map.Entry<String, RunResult> entry : baseline.entrySet()) {
      RunResult withAgent = agent.get(entry.getKey());
      if (withAgent != null) {
        Result<?> base = entry.getValue().getPrimaryResult();
        Result<?> with = withAgent.getPrimaryResult();
        out.append(comparison(timeRow, entry.getKey(), base.getScore(), base.getScoreError(),
            with.getScore(), with.getScoreError()));
      }
    }

    out.append("\nApplication-thread CPU time (ns/op)\n");
    out.append(String.format(Locale.ROOT, timeRow, "benchmark", "baseline", "with agent",
        "added", "added/cmd"));
    for (Map.Entry<String, RunResult> entry : baseline.entrySet()) {
      RunResult withAgent = agent.get(entry.getKey());
      if (withAgent != null) {
        ListStatistics base = perOp(entry.getValue(), APP_CPU);
        ListStatistics with = perOp(withAgent, APP_CPU);
        out.append(comparison(timeRow, entry.getKey(), mean(base), error(base), mean(with),
            error(with)));
      }
    }

    out.append("\nAllocation (B/op)\n");
    String allocRow = "%-18s %16s %16s %10s | %16s %16s %10s%n";
    out.append(String.format(Locale.ROOT, allocRow, "", "all threads", "(-prof gc)", "",
        "app thread only", "", ""));
    out.append(String.format(Locale.ROOT, allocRow, "benchmark", "baseline", "with agent",
        "added", "baseline", "with agent", "added"));
    for (Map.Entry<String, RunResult> entry : baseline.entrySet()) {
      RunResult withAgent = agent.get(entry.getKey());
      if (withAgent == null) {
        continue;
      }
      Result<?> base = entry.getValue().getSecondaryResults().get(ALLOC_NORM);
      Result<?> with = withAgent.getSecondaryResults().get(ALLOC_NORM);
      ListStatistics baseApp = perOp(entry.getValue(), APP_BYTES);
      ListStatistics withApp = perOp(withAgent, APP_BYTES);
      out.append(String.format(Locale.ROOT, allocRow, entry.getKey(),
          base == null ? "n/a" : pm(base.getScore(), base.getScoreError()),
          with == null ? "n/a" : pm(with.getScore(), with.getScoreError()),
          base == null || with == null ? "n/a" : signed(with.getScore() - base.getScore()),
          pm(mean(baseApp), error(baseApp)), pm(mean(withApp), error(withApp)),
          signed(mean(withApp) - mean(baseApp))));
    }

    out.append("\nGC during measurement (-prof gc, summed over all forks and iterations)\n");
    String gcRow = "%-18s %14s %14s %14s %14s%n";
    out.append(String.format(Locale.ROOT, gcRow, "benchmark", "baseline GCs", "baseline ms",
        "agent GCs", "agent ms"));
    for (Map.Entry<String, RunResult> entry : baseline.entrySet()) {
      RunResult withAgent = agent.get(entry.getKey());
      if (withAgent != null) {
        out.append(String.format(Locale.ROOT, gcRow, entry.getKey(),
            secondary(entry.getValue(), GC_COUNT), secondary(entry.getValue(), GC_TIME),
            secondary(withAgent, GC_COUNT), secondary(withAgent, GC_TIME)));
      }
    }

    out.append("\nmemtrace ring in the agent run (events per op; dropped = ring was full)\n");
    String ringRow = "%-18s %12s %12s %10s%n";
    out.append(String.format(Locale.ROOT, ringRow, "benchmark", "published", "dropped",
        "dropped %"));
    for (Map.Entry<String, RunResult> entry : agent.entrySet()) {
      RunResult result = entry.getValue();
      double ops = sum(result, APP_OPS);
      double published = sum(result, AGENT_PUBLISHED);
      double dropped = sum(result, AGENT_DROPPED);
      if (ops <= 0 || published < 0 || dropped < 0) {
        out.append(String.format(Locale.ROOT, ringRow, entry.getKey(), "n/a", "n/a", "n/a"));
        continue;
      }
      out.append(String.format(Locale.ROOT, ringRow, entry.getKey(),
          String.format(Locale.ROOT, "%.3f", published / ops),
          String.format(Locale.ROOT, "%.3f", dropped / ops),
          published + dropped > 0
              ? String.format(Locale.ROOT, "%.1f", 100 * dropped / (published + dropped)) : "n/a"));
    }
    out.append("\nadded = with agent - baseline (± combines both sides); added/cmd divides by the "
        + "Redis commands per op\n(10 for pipelineSet10). store and retrieve are DocumentMemory "
        + "calls: one memory span + one Redis span\nper op. CPU time and app-thread bytes come from "
        + "the benchmark thread's own\nHotSpot counters; 'all threads' includes memtrace's "
        + "consumer thread building spans.\n");
    return out.toString();
  }

  private static String comparison(String row, String name, double base, double baseError,
      double with, double withError) {
    double added = with - base;
    double addedError = Math.hypot(finite(baseError), finite(withError));
    int commands = COMMANDS_PER_OP.getOrDefault(name.split(" ")[0], 1);
    return String.format(Locale.ROOT, row, name, pm(base, baseError), pm(with, withError),
        signedPm(added, addedError), signed(added / commands));
  }

  /** A summed secondary result as an integer; JMH omits gc.time when no GC happened. */
  private static String secondary(RunResult result, String label) {
    Result<?> value = result.getSecondaryResults().get(label);
    return String.format(Locale.ROOT, "%.0f", value == null ? 0 : value.getScore());
  }

  private static double mean(ListStatistics stats) {
    return stats.getN() == 0 ? Double.NaN : stats.getMean();
  }

  private static double error(ListStatistics stats) {
    return stats.getN() > 2 ? stats.getMeanErrorAt(CONFIDENCE) : Double.NaN;
  }

  /** A summed auxiliary counter over all measurement iterations; -1 if any iteration lacks it. */
  private static double sum(RunResult result, String counter) {
    double total = 0;
    for (BenchmarkResult fork : result.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        Result<?> value = iteration.getSecondaryResults().get(counter);
        if (value == null || value.getScore() < 0) {
          return -1;
        }
        total += value.getScore();
      }
    }
    return total;
  }

  /** Per measurement iteration: a counter of the benchmark thread divided by its operations. */
  private static ListStatistics perOp(RunResult result, String counter) {
    ListStatistics stats = new ListStatistics();
    for (BenchmarkResult fork : result.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        Result<?> ops = iteration.getSecondaryResults().get(APP_OPS);
        Result<?> value = iteration.getSecondaryResults().get(counter);
        if (ops != null && value != null && ops.getScore() > 0) {
          stats.addValue(value.getScore() / ops.getScore());
        }
      }
    }
    return stats;
  }

  private static String pm(double value, double error) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return Double.isFinite(error)
        ? String.format(Locale.ROOT, "%.1f ± %.1f", value, error)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String signedPm(double value, double error) {
    return Double.isFinite(error) && error > 0
        ? String.format(Locale.ROOT, "%+.1f ± %.1f", value, error)
        : signed(value);
  }

  private static String signed(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%+.1f", value);
  }

  private static double finite(double value) {
    return Double.isFinite(value) ? value : 0;
  }

  private static int intProperty(String name, int defaultValue) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, not '" + value + "'", e);
    }
  }

  private static List<String> split(String value) {
    String trimmed = value.trim();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }

  /**
   * The agent jar: {@code -Dmemtrace.agent.jar}, else {@code ../agent/target/memtrace-agent.jar}
   * relative to the bench directory this code was loaded from (bench/target/memtrace-bench.jar or
   * bench/target/classes), else relative to the working directory.
   */
  static Path agentJar() {
    String configured = System.getProperty(AGENT_JAR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Paths.get(configured).toAbsolutePath().normalize();
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(AGENT_JAR_PROPERTY + "=" + configured
            + ": no such file");
      }
      return path;
    }
    List<Path> candidates = new ArrayList<>();
    Path benchDir = benchDir();
    if (benchDir != null) {
      candidates.add(benchDir.resolve("..").resolve(AGENT_JAR));
    }
    candidates.add(Paths.get(AGENT_JAR));
    candidates.add(Paths.get("..").resolve(AGENT_JAR));
    for (Path candidate : candidates) {
      Path path = candidate.toAbsolutePath().normalize();
      if (Files.isRegularFile(path)) {
        return path;
      }
    }
    throw new IllegalArgumentException("the memtrace agent jar was not found (looked at "
        + candidates + "); build it with 'mvn -B -q package -DskipTests' in the project root, or "
        + "pass -D" + AGENT_JAR_PROPERTY + "=/path/to/memtrace-agent.jar");
  }

  /** bench/ for code loaded from bench/target/memtrace-bench.jar or bench/target/classes. */
  private static Path benchDir() {
    try {
      CodeSource source = OverheadBench.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path location = Paths.get(source.getLocation().toURI()).toAbsolutePath().normalize();
      Path target = location.getParent();
      return target == null ? null : target.getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
