package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskRulesTest {

  @TempDir
  Path dir;

  private RuleConfig load(String... lines) throws IOException {
    return RuleConfig.load(dir, lines);
  }

  private static void assertTaskProblem(RuleConfig config, String key, String origin, String message) {
    config.assertOnlyProblem("tasks", key, origin, message);
    assertThat(config.rules()).isEmpty();
  }

  /** A file whose one task, of {@code com.example.agents.Runner}, has {@code entryLines} under its type. */
  private static String[] runner(String... entryLines) {
    return RuleConfig.indented(entryLines, "    ", "tasks:", "  - type: com.example.agents.Runner");
  }

  /**
   * A file with one faulty task ({@code lines}), the one problem it gives ({@code key}, on the line with
   * {@code marker}, saying {@code message}), and what is faulty.
   */
  private static Arguments faulty(String what, String key, String marker, String message, String... lines) {
    return Arguments.of(what, key, marker, message, lines);
  }

  static Stream<Arguments> faultyTasks() {
    String noMethod = "is missing: name the method(s) to trace, globs allowed";
    return Stream.of(
        faulty("an unknown key", "tasks[0].metric-attributes", "metric-attributes:",
            "is not a rule key (known: attributes, method, span, type)",
            runner("method: run", "span: aqe.run", "metric-attributes: [task.kind]")),
        faulty("no type", "tasks[0].type", "- method: run", "is missing",
            "tasks:", "  - method: run", "    span: aqe.run"),
        faulty("no method", "tasks[0].method", "- type:", noMethod, runner("span: aqe.run")),
        faulty("an empty method list", "tasks[0].method", "- type:", noMethod, runner("method: []", "span: aqe.run")),
        faulty("an empty method name", "tasks[0].method", "method: ''", "must be a non-empty single value",
            runner("method: ''", "span: aqe.run")),
        faulty("a method that is a mapping", "tasks[0].method", "method:", "must be a list",
            runner("method: { name: run }", "span: aqe.run")),
        faulty("no span", "tasks[0].span", "- type:", "is missing", runner("method: run")),
        faulty("characters outside class names", "tasks[0].type", "- type:",
            "'com.example.agents.Runner()' is not a class name pattern (letters, digits, '.', '$' and '*')",
            "tasks:", "  - type: com.example.agents.Runner()", "    method: run", "    span: aqe.run"),
        faulty("a bad expression in an attribute", "tasks[0].attributes.task.goal", "task.goal:",
            "expression 'arg0.goal != 5' only '!= null' can follow a path, not '!= 5'",
            runner("method: run", "span: aqe.run", "attributes:", "  task.kind: batch",
                "  task.goal: arg0.goal != 5")),
        faulty("a section that is not a list", "tasks", "tasks:", "must be a list",
            "tasks: com.example.agents.Runner"),
        everyClass("'*'"), everyClass("'*.*'"), everyClass("'**'"), everyClass("java.lang.Object"));
  }

  /** A type pattern ({@code yaml} as the file quotes it) that would match every class. */
  private static Arguments everyClass(String yaml) {
    String pattern = yaml.replace("'", "");
    return faulty("type " + yaml, "tasks[0].type", "- type:", "'" + pattern + "' " + MemoryManagerRulesTest.EVERY_CLASS,
        "tasks:", "  - type: " + yaml, "    method: run", "    span: aqe.run");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faultyTasks")
  void shouldRejectAFaultyTaskWithOneProblemAndNoRule(String what, String key, String marker, String message,
      String[] lines) throws IOException {
    load(lines).assertOnlyFaultyEntry("tasks", key, marker, message);
  }

  @Test
  void shouldLoadTaskWithSingleMethodAndKeepSpanTemplate() throws IOException {
    RuleConfig config = load(
        "span-prefix: aqe",
        "tasks:",
        "  - type: com.example.agents.Planner",
        "    method: plan",
        "    span: \"aqe.task.{method}\"",
        "    attributes:",
        "      task.kind: planning",
        "      task.goal: arg0.goal",
        "      agent.id: this.id");

    assertThat(config.problems()).isEmpty();
    MethodRule task = config.rule("tasks[0]");
    assertThat(task.kind()).isEqualTo(MethodRule.Kind.TASK);
    assertThat(task.typePattern()).isEqualTo("com.example.agents.Planner");
    assertThat(task.methodPatterns()).containsExactly("plan");
    assertThat(task.spanName()).isEqualTo("aqe.task.{method}");
    assertThat(task.operation()).isNull();
    assertThat(task.valueExpression()).isNull();
    assertThat(task.metricAttributes()).isEmpty();
    assertThat(task.constants()).containsOnly(entry("task.kind", "planning"));
    assertThat(task.expressions()).containsOnly(entry("task.goal", "arg0.goal"), entry("agent.id", "this.id"));
    assertThat(task.label()).isEqualTo("tasks[0] com.example.agents.Planner#plan (line 3)");
  }

  @Test
  void shouldLoadTaskWithListOfMethods() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.*Worker",
        "    method: [run, execute*, \"re?try\"]",
        "    span: \"{class}.{method}\"");

    assertThat(config.problems()).isEmpty();
    MethodRule task = config.rule("tasks[0]");
    assertThat(task.methodPatterns()).containsExactly("run", "execute*", "re?try");
    assertThat(task.spanName()).isEqualTo("{class}.{method}");
    assertThat(task.label()).isEqualTo("tasks[0] com.example.agents.*Worker#run|execute*|re?try (line 2)");
  }

  @Test
  void shouldLoadTaskWithBlockListOfMethodsAndNoAttributes() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner",
        "    method:",
        "      - generate",
        "      - analyze",
        "    span: aqe.run");

    MethodRule task = config.rule("tasks[0]");
    assertThat(task.methodPatterns()).containsExactly("generate", "analyze");
    assertThat(task.constants()).isEmpty();
    assertThat(task.expressions()).isEmpty();
  }

  @Test
  void shouldLoadTasksAlongsideMemoryManagers() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - { type: com.example.agents.Runner, method: run, span: aqe.run }",
        "memory-managers:",
        "  - type: com.example.memory.NoteMemory",
        "    methods: [{ name: store, operation: store }]");

    assertThat(config.problems()).isEmpty();
    assertThat(config.rules()).extracting(MethodRule::kind)
        .containsExactlyInAnyOrder(MethodRule.Kind.TASK, MethodRule.Kind.MEMORY);
  }

  @Test
  void shouldKeepValidTasksAroundFaultyOnes() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - { type: com.example.agents.Planner, method: plan, span: aqe.plan }",
        "  - { type: com.example.agents.Runner, method: run }",
        "  - { type: '*.*', method: run, span: aqe.any }",
        "  - { type: com.example.agents.Auditor, method: [audit, recheck], span: aqe.audit, attributes: { x: this } }",
        "  - { type: com.example.agents.Judge, method: judge, span: aqe.judge, colour: red }");

    assertThat(config.problems()).extracting(ConfigProblem::key)
        .containsExactly("tasks[1].span", "tasks[2].type", "tasks[4].colour");
    assertThat(config.problems()).extracting(ConfigProblem::origin).containsExactly(
        config.at("Runner"), config.at("'*.*'"), config.at("Judge"));
    assertThat(config.problems()).extracting(ConfigProblem::section).containsOnly("tasks");
    assertThat(config.rules()).extracting(MethodRule::methodPatterns)
        .containsExactly(List.of("plan"), List.of("audit", "recheck"));
    assertThat(config.result.agentEnabled()).isTrue();
    assertThat(config.result.redisEnabled()).isTrue();
  }
}
