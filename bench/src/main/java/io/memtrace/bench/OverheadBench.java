package io.memtrace.bench;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link JedisCommandBench}, {@link MemoryManagerBench}, {@link LettuceCommandBench} and
 * {@link ModelCallBench} twice
 * with {@code -prof gc}: in plain JVMs (baseline) and in JVMs started with
 * {@code -javaagent:memtrace-agent.jar=config=memtrace-bench.yaml -Dotel.traces.exporter=none
 * -Dotel.metrics.exporter=none}, then prints what the agent adds per operation ({@link OverheadTable}):
 * wall-clock time, CPU time and allocated bytes of the application thread, and all-thread allocation. The YAML
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
 *       {@code set1k}, {@code pipelineSet10}, {@code store}, {@code retrieve}, {@code lettuceGet}, {@code lettuceSet}, {@code lettuceSet1k},
 *       {@code modelCall}, {@code memoryRead}, {@code cacheRead}); only
 *       when given, {@link TopologyCommandBench}'s {@code topologyGetSet} too, shown by {@link TopologyTable}</li>
 *   <li>{@code bench.clients}, {@code bench.topologies}: comma-separated subsets of
 *       {@link TopologyCommandBench}'s parameters (default all); its cells run one at a time, each cell's
 *       baseline and agent runs back to back</li>
 *   <li>{@code bench.config}: the memtrace YAML of the agent run instead of the bundled
 *       {@code memtrace-bench.yaml}</li>
 *   <li>{@code bench.appWork}: comma-separated {@code Blackhole.consumeCPU} tokens of simulated
 *       application work per operation (default 0: commands back to back)</li>
 *   <li>{@code bench.jvmArgs}: JVM options of both runs' forks (default {@code -Xms1g -Xmx1g})</li>
 *   <li>{@code bench.agentJvmArgs}: extra JVM options of the agent run only, e.g.
 *       {@code -Dmemtrace.ring.size=1024}</li>
 *   <li>{@code bench.baselineAgentJvmArgs}: when given, the baseline side runs with the agent too, with these
 *       extra JVM options, so that two settings of the agent are compared in one run, e.g.
 *       {@code -Dmemtrace.capture.fingerprints=false} against the defaults</li>
 *   <li>{@code bench.out}: also write the comparison table to this file</li>
 * </ul>
 */
public final class OverheadBench {

  /** JVM options that make the baseline side a run with the agent too (see the class comment). */
  static final String BASELINE_AGENT_ARGS = "bench.baselineAgentJvmArgs";
  private static final List<Class<?>> BENCHMARKS =
      List.of(JedisCommandBench.class, MemoryManagerBench.class, LettuceCommandBench.class, ModelCallBench.class);
  /** Runs only when {@code bench.include} is given and matches it: it needs redis-server and takes longer. */
  private static final Class<?> TOPOLOGY = TopologyCommandBench.class;
  private OverheadBench() {
  }

  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
      System.out.println("usage: java [-Dmemtrace.agent.jar=...] [-Dbench.forks=2] "
          + "[-Dbench.warmupIterations=3] [-Dbench.warmupTime=1s] [-Dbench.iterations=5] "
          + "[-Dbench.time=1s] [-Dbench.include=REGEX] [-Dbench.appWork=0,1000] "
          + "[-Dbench.clients=jedis,lettuce,redisson] [-Dbench.topologies=standalone,cluster,sentinel,replica,tls] "
          + "[-Dbench.jvmArgs=\"-Xms1g -Xmx1g\"] [-Dbench.agentJvmArgs=...] [-Dbench.baselineAgentJvmArgs=...] "
          + "[-Dbench.config=memtrace.yaml] [-Dbench.out=FILE] "
          + "-jar memtrace-bench.jar");
      return;
    }
    Path agentJar = BenchAgent.jar();
    Path config = BenchAgent.config();
    System.out.println("# memtrace overhead benchmark; agent: " + agentJar + "; config: " + config);

    String given = System.getProperty("bench.include");
    boolean named = given != null && !given.isBlank();
    String include = named ? given : ".*";
    Map<String, RunResult> baseline = new LinkedHashMap<>();
    Map<String, RunResult> agent = new LinkedHashMap<>();
    // the baseline runs with the agent too when told how it differs from the agent side (fingerprints off, say)
    String baselineAgentArgs = System.getProperty(BASELINE_AGENT_ARGS, "").trim();
    if (matchesAny(BENCHMARKS, include)) {
      baseline.putAll(run(!baselineAgentArgs.isEmpty(), baselineAgentArgs, agentJar, config,
          benchmarkPattern(include, BENCHMARKS), Map.of()));
      agent.putAll(run(true, System.getProperty("bench.agentJvmArgs", ""), agentJar, config,
          benchmarkPattern(include, BENCHMARKS), Map.of()));
    }
    Map<String, RunResult> topologyBaseline = new LinkedHashMap<>();
    Map<String, RunResult> topologyAgent = new LinkedHashMap<>();
    if (named && matchesAny(List.of(TOPOLOGY), include)) {
      runTopologyCells(agentJar, config, benchmarkPattern(include, List.of(TOPOLOGY)), topologyBaseline,
          topologyAgent);
    }
    if (baseline.isEmpty() && topologyBaseline.isEmpty()) {
      throw new RunnerException("no benchmark matched bench.include=" + include);
    }
    String table = baseline.isEmpty() ? "" : OverheadTable.table(baseline, agent, agentJar);
    if (!baselineAgentArgs.isEmpty() && !table.isEmpty()) {
      table = "baseline = the same agent with " + baselineAgentArgs + "; with agent = the agent with "
          + System.getProperty("bench.agentJvmArgs", "(its defaults)") + "\n" + table;
    }
    if (!topologyBaseline.isEmpty()) {
      RunResult any = topologyBaseline.values().iterator().next();
      table += (table.isEmpty() ? "" : "\n") + TopologyTable.render(
          TopologyTable.cells(topologyBaseline, topologyAgent),
          String.format(java.util.Locale.ROOT, "memtrace agent overhead per client x topology (real redis-server "
                  + "on loopback; agent %s, OTel exporters none; %d fork(s) x %d iteration(s) of %s per side)",
              agentJar.getFileName(), any.getParams().getForks(), any.getParams().getMeasurement().getCount(),
              any.getParams().getMeasurement().getTime()));
    }
    System.out.println();
    System.out.print(table);
    String out = System.getProperty("bench.out");
    if (out != null && !out.isBlank()) {
      Files.writeString(Paths.get(out), table, StandardCharsets.UTF_8);
      System.out.println("(written to " + Paths.get(out).toAbsolutePath() + ")");
    }
  }

  /**
   * {@link #TOPOLOGY} cell by cell, each cell's baseline and agent runs one after the other (which first
   * alternates from cell to cell), so that a shared machine's load, which changes over minutes, weighs on both
   * sides of a cell alike rather than on all baselines first and all agent runs later.
   */
  private static void runTopologyCells(Path agentJar, Path config, String pattern, Map<String, RunResult> baseline,
      Map<String, RunResult> agent) throws RunnerException {
    int cell = 0;
    for (String client : paramValues("client", "bench.clients")) {
      for (String topology : paramValues("topology", "bench.topologies")) {
        Map<String, String[]> params = Map.of("client", new String[] {client}, "topology", new String[] {topology});
        boolean agentFirst = cell++ % 2 == 1;
        for (boolean withAgent : new boolean[] {agentFirst, !agentFirst}) {
          (withAgent ? agent : baseline).putAll(run(withAgent, System.getProperty("bench.agentJvmArgs", ""),
              agentJar, config, pattern, params));
        }
      }
    }
  }

  /** The values of {@link #TOPOLOGY}'s {@code @Param field}: {@code property} when set, else its declared ones. */
  static List<String> paramValues(String field, String property) {
    String values = System.getProperty(property);
    if (values != null && !values.isBlank()) {
      return split(values.replace(',', ' '));
    }
    try {
      return List.of(TOPOLOGY.getField(field).getAnnotation(Param.class).value());
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(TOPOLOGY.getName() + " has no @Param " + field, e);
    }
  }

  /** Whether a {@code @Benchmark} method of {@code types} has a name {@code include} matches. */
  static boolean matchesAny(List<Class<?>> types, String include) {
    Pattern names = Pattern.compile(include);
    for (Class<?> type : types) {
      for (Method method : type.getMethods()) {
        if (method.isAnnotationPresent(Benchmark.class) && names.matcher(method.getName()).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  private static Map<String, RunResult> run(boolean withAgent, String agentJvmArgs, Path agentJar, Path config,
      String pattern, Map<String, String[]> params) throws RunnerException {
    List<String> jvmArgs =
        new ArrayList<>(split(System.getProperty("bench.jvmArgs", "-Xms1g -Xmx1g")));
    jvmArgs.add("-D" + JedisCommandBench.EXPECT_AGENT + "=" + withAgent);
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(pattern)
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
    params.forEach(options::param);
    if (withAgent) {
      options.jvmArgsAppend(BenchAgent.jvmArgs(agentJar, config, split(agentJvmArgs)).toArray(new String[0]));
    }
    System.out.println();
    System.out.println("# ---- " + (withAgent ? "with memtrace agent " + agentJvmArgs : "baseline, no agent")
        + " ----");
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, RunResult> byName = new LinkedHashMap<>();
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      String appWork = result.getParams().getParam("appWork");
      if (appWork != null && !appWork.equals("0")) {
        name += " w=" + appWork;
      }
      String client = result.getParams().getParam("client");
      if (client != null) {
        name += " " + client + "/" + result.getParams().getParam("topology");
      }
      byName.put(name, result);
    }
    return byName;
  }

  /** JMH include regex: the methods of {@code types} whose names match {@code include}. */
  static String benchmarkPattern(String include, List<Class<?>> types) {
    StringBuilder classes = new StringBuilder();
    for (Class<?> type : types) {
      classes.append(classes.length() == 0 ? "" : "|").append(Pattern.quote(type.getName()));
    }
    return "^(" + classes + ")\\.(" + include + ")$";
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
}
