package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which of the agent's packages use which, read from the compiled classes with {@code jdeps}.
 * {@code config} is read by everything and reads only the neutral helpers, so a change there
 * never drags instrumentation or the pipeline along. No two packages use each other, directly or
 * through others: a cycle means neither can be read, tested or replaced without the other.
 */
class PackageDependenciesTest {

  private static final String ROOT = "io.memtrace.agent.";

  /** Package to the packages it uses, without the {@code io.memtrace.agent.} prefix. */
  private static Map<String, Set<String>> graph() {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int exit = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
        "-verbose:package", "-filter:none", "target/classes");
    assertThat(exit).as("jdeps: %s", out).isZero();
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length >= 3 && parts[1].equals("->") && parts[0].startsWith(ROOT)
          && parts[2].startsWith(ROOT) && !parts[0].equals(parts[2])) {
        graph.computeIfAbsent(local(parts[0]), k -> new TreeSet<>()).add(local(parts[2]));
      }
    }
    assertThat(graph).as("jdeps saw the agent's packages").containsKey("config");
    return graph;
  }

  private static String local(String pkg) {
    return pkg.substring(ROOT.length());
  }

  /** Every package reachable from {@code start}. */
  private static Set<String> reachable(Map<String, Set<String>> graph, String start) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(graph.getOrDefault(start, Set.of()));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (seen.add(next)) {
        todo.addAll(graph.getOrDefault(next, Set.of()));
      }
    }
    return seen;
  }

  @Test
  void shouldKeepConfigOutOfEveryPackageCycle() {
    Map<String, Set<String>> graph = graph();

    Set<String> backToConfig = reachable(graph, "config").stream()
        .filter(p -> reachable(graph, p).contains("config")).collect(Collectors.toSet());
    assertThat(backToConfig).as("packages config uses that use config again").isEmpty();
  }

  @Test
  void shouldLetConfigUseOnlyTheNeutralHelpers() {
    assertThat(graph().getOrDefault("config", Set.of())).isSubsetOf(List.of("util", "bootstrap", "semconv"));
  }

  @Test
  void shouldHaveNoCycleBetweenAnyPackages() {
    Map<String, Set<String>> graph = graph();

    Map<String, Set<String>> cycles = new TreeMap<>();
    for (String pkg : graph.keySet()) {
      Set<String> back = reachable(graph, pkg).stream()
          .filter(p -> !p.equals(pkg) && reachable(graph, p).contains(pkg))
          .collect(Collectors.toCollection(TreeSet::new));
      if (!back.isEmpty()) {
        cycles.put(pkg, back);
      }
    }
    assertThat(cycles).as("package -> the packages it reaches that reach it again; graph %s", graph)
        .isEmpty();
  }

  @Test
  void shouldKeepTheBootstrapBridgeFreeOfTheRestOfTheAgent() {
    // the bridge is on the bootstrap class path, where nothing else of the agent is visible
    assertThat(graph().getOrDefault("bootstrap", Set.of())).isEmpty();
  }

  @Test
  void shouldKeepSpansAndExportOutOfThePipelineAndInstrumentation() {
    Map<String, Set<String>> graph = graph();

    assertThat(reachable(graph, "export")).doesNotContain("pipeline", "metrics")
        .noneMatch(p -> p.startsWith("instrumentation"));
    assertThat(reachable(graph, "span")).doesNotContain("pipeline", "export");
    assertThat(graph.get("pipeline")).noneMatch(p -> p.startsWith("instrumentation.jedis"));
  }
}
