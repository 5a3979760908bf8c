package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  void shouldRejectUnknownKeyInTaskEntry() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner",
        "    method: run",
        "    span: aqe.run",
        "    metric-attributes: [task.kind]");

    assertTaskProblem(config, "tasks[0].metric-attributes", config.at("metric-attributes:"),
        "is not a rule key (known: attributes, method, span, type)");
  }

  @Test
  void shouldRejectTaskWithoutType() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - method: run",
        "    span: aqe.run");

    assertTaskProblem(config, "tasks[0].type", config.at("- method: run"), "is missing");
  }

  @Test
  void shouldRejectTaskWithoutMethod() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner",
        "    span: aqe.run");

    assertTaskProblem(config, "tasks[0].method", config.at("- type:"),
        "is missing: name the method(s) to trace, globs allowed");
  }

  @Test
  void shouldRejectTaskWithEmptyMethodList() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner",
        "    method: []",
        "    span: aqe.run");

    assertTaskProblem(config, "tasks[0].method", config.at("- type:"),
        "is missing: name the method(s) to trace, globs allowed");
  }

  @Test
  void shouldRejectEmptyMethodName() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner",
        "    method: ''",
        "    span: aqe.run");

    assertTaskProblem(config, "tasks[0].method", config.at("method: ''"), "must be a non-empty single value");
  }

  @Test
  void shouldRejectMethodThatIsMapping() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner",
        "    method: { name: run }",
        "    span: aqe.run");

    assertTaskProblem(config, "tasks[0].method", config.at("method:"), "must be a list");
  }

  @Test
  void shouldRejectTaskWithoutSpan() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner",
        "    method: run");

    assertTaskProblem(config, "tasks[0].span", config.at("- type:"), "is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'*'", "'*.*'", "'**'", "java.lang.Object"})
  void shouldRejectPatternMatchingEveryClass(String yaml) throws IOException {
    String pattern = yaml.replace("'", "");
    RuleConfig config = load(
        "tasks:",
        "  - type: " + yaml,
        "    method: run",
        "    span: aqe.run");

    assertTaskProblem(config, "tasks[0].type", config.at("- type:"),
        "'" + pattern + "' would match every class; name a package and type, e.g. com.example.memory.*Memory");
  }

  @Test
  void shouldRejectPatternWithCharactersOutsideClassNames() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner()",
        "    method: run",
        "    span: aqe.run");

    assertTaskProblem(config, "tasks[0].type", config.at("- type:"),
        "'com.example.agents.Runner()' is not a class name pattern (letters, digits, '.', '$' and '*')");
  }

  @Test
  void shouldRejectBadExpressionInTaskAttribute() throws IOException {
    RuleConfig config = load(
        "tasks:",
        "  - type: com.example.agents.Runner",
        "    method: run",
        "    span: aqe.run",
        "    attributes:",
        "      task.kind: batch",
        "      task.goal: arg0.goal != 5");

    assertTaskProblem(config, "tasks[0].attributes.task.goal", config.at("task.goal:"),
        "expression 'arg0.goal != 5' only '!= null' can follow a path, not '!= 5'");
  }

  @Test
  void shouldRejectSectionThatIsNotList() throws IOException {
    RuleConfig config = load("tasks: com.example.agents.Runner");

    assertTaskProblem(config, "tasks", config.at("tasks:"), "must be a list");
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
