package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryManagerRulesTest {

  @TempDir
  Path dir;

  private RuleConfig load(String... lines) throws IOException {
    return RuleConfig.load(dir, lines);
  }

  /** One type with one method; {@code methodLines} are indented under the method entry. */
  private RuleConfig oneMethod(String... methodLines) throws IOException {
    return load(oneMethodLines(methodLines));
  }

  /** The lines of {@link #oneMethod}'s file. */
  private static String[] oneMethodLines(String... methodLines) {
    return RuleConfig.indented(methodLines, "        ",
        "memory-managers:", "  - type: com.example.memory.NoteMemory", "    methods:", "      - name: store");
  }

  private static void assertRuleProblem(RuleConfig config, String key, String origin, String message) {
    config.assertOnlyProblem("memory-managers", key, origin, message);
    assertThat(config.result.redisEnabled()).isTrue();
  }

  /**
   * A file with one faulty entry ({@code lines}), the one problem it gives ({@code key}, on the line with
   * {@code marker}, saying {@code message}), and what is faulty.
   */
  private static Arguments faulty(String what, String key, String marker, String message, String... lines) {
    return Arguments.of(what, key, marker, message, lines);
  }

  static Stream<Arguments> faultyEntries() {
    String note = "  - type: com.example.memory.NoteMemory";
    String method = "memory-managers[0].methods[0].";
    return Stream.of(
        faulty("an unknown key in a type entry", "memory-managers[0].metric-attribute", "metric-attribute:",
            "is not a rule key (known: attributes, methods, metric-attributes, type)",
            "memory-managers:", note, "    metric-attribute: [memory.layer]",
            "    methods: [{ name: store, operation: store }]"),
        faulty("a type entry without type", "memory-managers[0].type", "- methods:", "is missing",
            "memory-managers:", "  - methods: [{ name: store, operation: store }]"),
        faulty("a type entry without methods", "memory-managers[0].methods", "- type:",
            "is missing: list the methods to trace",
            "memory-managers:", note, "    attributes: { memory.layer: cache }"),
        faulty("a method without name", method + "name", "- operation: store", "is missing",
            "memory-managers:", note, "    methods:", "      - operation: store", "        key: arg0"),
        faulty("a method without operation", method + "operation", "- name: store", "is missing",
            oneMethodLines("key: arg0")),
        faulty("an empty name", method + "name", "name: ''", "must be a non-empty single value",
            "memory-managers:", note, "    methods:", "      - name: ''", "        operation: store"),
        faulty("an expression's bad root", method + "key", "key: foo.bar",
            "expression 'foo.bar' must start with this, argN or return, not 'foo'",
            oneMethodLines("operation: store", "key: foo.bar")),
        faulty("an argument beyond the captured ones", method + "ttl", "ttl: arg6",
            "expression 'arg6' can read arg0 to arg5, not arg6", oneMethodLines("operation: store", "ttl: arg6")),
        faulty("an empty path element", method + "value", "value: arg0..x",
            "expression 'arg0..x' has an invalid path element ''",
            oneMethodLines("operation: store", "value: arg0..x")),
        faulty("a comparison with anything but null", method + "found", "found: return != 5",
            "expression 'return != 5' only '!= null' can follow a path, not '!= 5'",
            oneMethodLines("operation: retrieve", "found: return != 5")),
        faulty("a constant where a method key needs an expression", method + "namespace", "namespace: sessions",
            "expression 'sessions' must start with this, argN or return, not 'sessions'",
            oneMethodLines("operation: store", "namespace: sessions")),
        faulty("a bad expression in a method attribute", method + "attributes.memory.source",
            "memory.source: arg9.name", "expression 'arg9.name' can read arg0 to arg5, not arg9",
            oneMethodLines("operation: store", "attributes:", "  memory.source: arg9.name")),
        faulty("a bad expression in a type attribute", "memory-managers[0].attributes.memory.system", "memory.system:",
            "expression 'this..name' has an invalid path element ''", "memory-managers:", note, "    attributes:",
            "      memory.system: this..name",
            "    methods: [{ name: store, operation: store }, { name: get, operation: retrieve }]"),
        faulty("metric-attributes that is not a list", method + "metric-attributes",
            "metric-attributes: memory.layer", "must be a list",
            oneMethodLines("operation: store", "metric-attributes: memory.layer")),
        faulty("a section that is a mapping", "memory-managers", "  type:", "must be a list", "memory-managers:",
            "  type: com.example.memory.NoteMemory", "  methods: [{ name: store, operation: store }]"),
        faulty("an entry that is not a mapping", "memory-managers[0]", "- com.example", "must be a mapping",
            "memory-managers:", "  - com.example.memory.NoteMemory"),
        faulty("methods that is not a list", "memory-managers[0].methods", "methods: store", "must be a list",
            "memory-managers:", note, "    methods: store"),
        faulty("an operation that is not one word", method + "operation", "operation:",
            "must be a single word such as store, retrieve, search or delete, got 'store items'",
            oneMethodLines("operation: store items")),
        faulty("attributes that is not a mapping", "memory-managers[0].attributes", "attributes:",
            "must be a mapping of attribute name to expression or constant", "memory-managers:", note,
            "    attributes: [memory.layer]", "    methods: [{ name: store, operation: store }]"),
        faulty("an attribute value that is not a single value", method + "attributes.memory.tags", "memory.tags:",
            "must be a single value", oneMethodLines("operation: store", "attributes:", "  memory.tags: [a, b]")),
        badType("'*'", EVERY_CLASS), badType("'*.*'", EVERY_CLASS), badType("'**'", EVERY_CLASS),
        badType("java.lang.Object", EVERY_CLASS), badType("'.'", EVERY_CLASS),
        badType("'*Memory'", LEADING_STAR), badType("'*.memory.Store'", LEADING_STAR),
        badType("\"com.example.Memory<T>\"", NOT_A_NAME), badType("\"com/example/Memory\"", NOT_A_NAME),
        badType("\"com.example.Mem ory\"", NOT_A_NAME), badType("\"com.example.Memory?\"", NOT_A_NAME),
        badType("\"com.example.Memory#store\"", NOT_A_NAME));
  }

  static final String EVERY_CLASS = "would match every class; name a package and type, e.g. com.example.memory.*Memory";
  static final String LEADING_STAR = "must start with a package name: a leading * would match classes in every library";
  static final String NOT_A_NAME = "is not a class name pattern (letters, digits, '.', '$' and '*')";

  /** A type pattern ({@code yaml} as the file quotes it) refused with {@code why} after the pattern itself. */
  private static Arguments badType(String yaml, String why) {
    String pattern = yaml.replace("'", "").replace("\"", "");
    return faulty("type " + yaml, "memory-managers[0].type", "- type:", "'" + pattern + "' " + why,
        "memory-managers:", "  - type: " + yaml, "    methods: [{ name: store, operation: store }]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faultyEntries")
  void shouldRejectAFaultyEntryWithOneProblemAndDropItsRules(String what, String key, String marker, String message,
      String[] lines) throws IOException {
    RuleConfig config = load(lines);

    config.assertOnlyFaultyEntry("memory-managers", key, marker, message);
    assertThat(config.result.redisEnabled()).isTrue();
  }

  @Nested
  class ValidRules {

    private RuleConfig full() throws IOException {
      return load(
          "span-prefix: aqe",
          "memory-managers:",
          "  - type: com.example.memory.*Memory",
          "    attributes:",
          "      memory.layer: long-term",
          "      memory.system: this.systemName",
          "      tier: 3",
          "    metric-attributes: [memory.layer]",
          "    methods:",
          "      - name: store*",
          "        operation: store",
          "        key: arg0",
          "        value: arg1",
          "        namespace: this.namespace",
          "        ttl: arg2.seconds",
          "        agent-id: arg3.agentId",
          "        agent-type: arg3.type",
          "        metric-attributes: [memory.namespace, agent.type]",
          "        attributes:",
          "          memory.format: json",
          "          memory.priority: arg1.priority",
          "      - name: search",
          "        operation: search",
          "        results: return.size",
          "        found: return != null",
          "        span: custom.search");
    }

    @Test
    void shouldLoadEveryMethodOfTypeAsOneRuleWithoutProblems() throws IOException {
      RuleConfig config = full();

      assertThat(config.problems()).isEmpty();
      assertThat(config.result.agentEnabled()).isTrue();
      assertThat(config.rules()).hasSize(2);
      assertThat(config.rules()).allSatisfy(rule -> {
        assertThat(rule.kind()).isEqualTo(MethodRule.Kind.MEMORY);
        assertThat(rule.typePattern()).isEqualTo("com.example.memory.*Memory");
      });
    }

    @Test
    void shouldMapMethodKeysToAttributeExpressions() throws IOException {
      MethodRule store = full().rule("memory-managers[0].methods[0]");

      assertThat(store.methodPatterns()).containsExactly("store*");
      assertThat(store.operation()).isEqualTo("store");
      assertThat(store.expressions()).containsOnly(
          entry("memory.system", "this.systemName"),
          entry("memory.key", "arg0"),
          entry("memory.namespace", "this.namespace"),
          entry("memory.ttl", "arg2.seconds"),
          entry("agent.id", "arg3.agentId"),
          entry("agent.type", "arg3.type"),
          entry("memory.priority", "arg1.priority"));
      assertThat(store.valueExpression()).isEqualTo("arg1");
    }

    @Test
    void shouldMapResultsAndFoundToAttributeExpressions() throws IOException {
      MethodRule search = full().rule("memory-managers[0].methods[1]");

      assertThat(search.expressions()).containsOnly(
          entry("memory.system", "this.systemName"),
          entry("memory.result_count", "return.size"),
          entry("memory.found", "return != null"));
      assertThat(search.valueExpression()).isNull();
    }

    @Test
    void shouldKeepTypeConstantsAndAddMethodConstants() throws IOException {
      RuleConfig config = full();

      assertThat(config.rule("memory-managers[0].methods[0]").constants()).containsOnly(
          entry("memory.layer", "long-term"), entry("tier", "3"), entry("memory.format", "json"));
      assertThat(config.rule("memory-managers[0].methods[1]").constants()).containsOnly(
          entry("memory.layer", "long-term"), entry("tier", "3"));
    }

    @Test
    void shouldAppendMethodMetricAttributesToTypeOnes() throws IOException {
      RuleConfig config = full();

      assertThat(config.rule("memory-managers[0].methods[0]").metricAttributes())
          .containsExactly("memory.layer", "memory.namespace", "agent.type");
      assertThat(config.rule("memory-managers[0].methods[1]").metricAttributes())
          .containsExactly("memory.layer");
    }

    @Test
    void shouldNameSpanFromPrefixAndOperationUnlessSet() throws IOException {
      RuleConfig config = full();

      assertThat(config.rule("memory-managers[0].methods[0]").spanName()).isEqualTo("aqe.memory.store");
      assertThat(config.rule("memory-managers[0].methods[1]").spanName()).isEqualTo("custom.search");
    }

    @Test
    void shouldUseDefaultSpanPrefixWhenNoneIsSet() throws IOException {
      MethodRule rule = oneMethod("operation: retrieve").rule("memory-managers[0].methods[0]");

      assertThat(rule.spanName()).as("the default prefix gives memory.{operation}").isEqualTo("memory.retrieve");
    }

    @Test
    void shouldLabelRuleWithSectionIndexTypeMethodAndLine() throws IOException {
      RuleConfig config = full();

      assertThat(config.rule("memory-managers[0].methods[1]").label())
          .isEqualTo("memory-managers[0].methods[1] com.example.memory.*Memory#search (line "
              + config.lineOf("- name: search") + ")");
    }

    @Test
    void shouldReadFlowStyleRulesLikeTheDemo() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.acme.memory.MemoryManager",
          "    attributes: { memory.layer: shared }",
          "    metric-attributes: [memory.layer]",
          "    methods:",
          "      - { name: retrieve, operation: retrieve, key: arg0, namespace: arg1, found: \"return != null\", value: return }",
          "      - { name: search,   operation: search,   key: arg0, results: return.size }");

      assertThat(config.problems()).isEmpty();
      MethodRule retrieve = config.rule("memory-managers[0].methods[0]");
      assertThat(retrieve.expressions()).containsOnly(entry("memory.key", "arg0"),
          entry("memory.namespace", "arg1"), entry("memory.found", "return != null"));
      assertThat(retrieve.valueExpression()).isEqualTo("return");
      assertThat(retrieve.constants()).containsOnly(entry("memory.layer", "shared"));
      assertThat(config.rule("memory-managers[0].methods[1]").expressions())
          .containsEntry("memory.result_count", "return.size");
    }

    @Test
    void shouldSortAttributeValuesIntoExpressionsAndConstants() throws IOException {
      MethodRule rule = oneMethod(
          "operation: store",
          "attributes:",
          "  a.this: this",
          "  a.return: return != null",
          "  a.arg: arg5.x",
          "  c.word: cache",
          "  c.dotted: v1.2",
          "  c.prefixed: thisisconstant",
          "  c.returned: returned",
          "  c.number: 42").rule("memory-managers[0].methods[0]");

      assertThat(rule.expressions()).containsOnly(
          entry("a.this", "this"), entry("a.return", "return != null"), entry("a.arg", "arg5.x"));
      assertThat(rule.constants()).containsOnly(entry("c.word", "cache"), entry("c.dotted", "v1.2"),
          entry("c.prefixed", "thisisconstant"), entry("c.returned", "returned"), entry("c.number", "42"));
    }

    @Test
    void shouldLetMethodConstantReplaceTypeConstantOfSameName() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    attributes: { memory.layer: cache }",
          "    methods:",
          "      - { name: store, operation: store, attributes: { memory.layer: hot } }");

      assertThat(config.rule("memory-managers[0].methods[0]").constants()).containsOnly(entry("memory.layer", "hot"));
    }

    @Test
    void shouldLetMethodConstantReplaceTypeExpressionOfSameName() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    attributes: { agent.type: this.kind }",
          "    methods:",
          "      - { name: store, operation: store, attributes: { agent.type: planner } }");

      MethodRule rule = config.rule("memory-managers[0].methods[0]");
      assertThat(rule.constants()).containsOnly(entry("agent.type", "planner"));
      assertThat(rule.expressions()).doesNotContainKey("agent.type");
    }

    @Test
    void shouldAllowNamespaceAsMetricAttributeWithoutDefiningIt() throws IOException {
      RuleConfig config = oneMethod("operation: store", "metric-attributes: [memory.namespace]");

      assertThat(config.problems()).isEmpty();
      assertThat(config.rule("memory-managers[0].methods[0]").metricAttributes()).containsExactly("memory.namespace");
    }

    @Test
    void shouldAllowExpressionAttributeAsMetricAttribute() throws IOException {
      RuleConfig config = oneMethod("operation: store", "attributes: { memory.tier: this.tier }",
          "metric-attributes: [memory.tier]");

      assertThat(config.problems()).isEmpty();
    }

    @Test
    void shouldLoadRulesFromSeveralTypes() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods: [{ name: store, operation: store }]",
          "  - type: com.example.memory.CacheMemory",
          "    methods: [{ name: get, operation: retrieve }, { name: put, operation: store }]");

      assertThat(config.problems()).isEmpty();
      assertThat(config.rules()).extracting(MethodRule::label).containsExactly(
          "memory-managers[0].methods[0] com.example.memory.NoteMemory#store (line 3)",
          "memory-managers[1].methods[0] com.example.memory.CacheMemory#get (line 5)",
          "memory-managers[1].methods[1] com.example.memory.CacheMemory#put (line 5)");
    }
  }

  @Nested
  class UnknownKeys {

    @Test
    void shouldRejectUnknownKeyInMethodEntryAndDropOnlyThatMethod() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods:",
          "      - name: store",
          "        operation: store",
          "        keys: arg0",
          "      - name: get",
          "        operation: retrieve");

      ConfigProblem problem = config.problem();
      assertThat(problem.key()).isEqualTo("memory-managers[0].methods[0].keys");
      assertThat(problem.origin()).isEqualTo(config.at("keys: arg0"));
      assertThat(problem.message()).startsWith("is not a rule key (known: agent-id, agent-type, args, attributes, ")
          .contains("key, ").endsWith("ttl, value, value-size)");
      assertThat(config.rules()).extracting(MethodRule::methodPatterns).containsExactly(java.util.List.of("get"));
    }

    @Test
    void shouldReportEveryUnknownKeyOfOneEntry() throws IOException {
      RuleConfig config = oneMethod("operation: store", "colour: red", "size: 3");

      assertThat(config.problems()).extracting(ConfigProblem::key).containsExactly(
          "memory-managers[0].methods[0].colour", "memory-managers[0].methods[0].size");
      assertThat(config.rules()).isEmpty();
    }
  }

  @Nested
  class MissingKeys {

    @Test
    void shouldRejectEmptyMethodsList() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods: []");

      assertThat(config.problems()).extracting(ConfigProblem::key).containsExactly("memory-managers[0].methods");
    }

    @Test
    void shouldReportBothNameAndOperationMissing() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods:",
          "      - key: arg0");

      assertThat(config.problems()).extracting(ConfigProblem::key).containsExactly(
          "memory-managers[0].methods[0].name", "memory-managers[0].methods[0].operation");
      assertThat(config.problems()).extracting(ConfigProblem::origin).containsOnly(config.at("- key: arg0"));
    }
  }

  @Nested
  class TypePatterns {

    @ParameterizedTest
    @ValueSource(strings = {"com.example.memory.*Memory", "com.example.*", "com.example.Outer$Inner",
        "com.example.memory.NoteMemory"})
    void shouldAcceptPackageQualifiedPattern(String pattern) throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: \"" + pattern + "\"",
          "    methods: [{ name: store, operation: store }]");

      assertThat(config.problems()).isEmpty();
      assertThat(config.rule("memory-managers[0].methods[0]").typePattern()).isEqualTo(pattern);
    }
  }

  @Nested
  class Expressions {

    @Test
    void shouldReportEveryBadExpressionOfOneMethod() throws IOException {
      RuleConfig config = oneMethod("operation: store", "key: foo", "value: arg7", "agent-id: this.");

      assertThat(config.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
          "memory-managers[0].methods[0].key", "memory-managers[0].methods[0].value",
          "memory-managers[0].methods[0].agent-id");
      assertThat(config.rules()).isEmpty();
    }
  }

  @Nested
  class MetricAttributes {

    @ParameterizedTest
    @ValueSource(strings = {"memory.key", "memory.value_size", "memory.ttl", "memory.result_count",
        "memory.item_count", "agent.id"})
    void shouldRejectHighCardinalityMetricAttribute(String name) throws IOException {
      RuleConfig config = oneMethod("operation: store", "key: arg0", "ttl: arg1", "results: return.size",
          "agent-id: arg2", "metric-attributes: [" + name + "]");

      ConfigProblem problem = config.problem();
      assertThat(problem.key()).isEqualTo("memory-managers[0].methods[0].metric-attributes");
      assertThat(problem.message()).isEqualTo("'" + name + "' identifies single items and can never be a metric dimension");
      assertThat(problem.section()).isEqualTo("memory-managers");
      assertThat(problem.origin()).startsWith(config.file + " line ");
      assertThat(config.rules()).isEmpty();
      assertThat(config.result.agentEnabled()).isTrue();
    }

    @Test
    void shouldRejectMetricAttributeTheRuleDoesNotDefine() throws IOException {
      RuleConfig config = oneMethod("operation: store", "metric-attributes: [memory.region]");

      ConfigProblem problem = config.problem();
      assertThat(problem.key()).isEqualTo("memory-managers[0].methods[0].metric-attributes");
      assertThat(problem.message()).isEqualTo("'memory.region' is not an attribute of this rule");
      assertThat(config.rules()).isEmpty();
    }

    @Test
    void shouldReportBadMetricAttributeAtItsOwnLine() throws IOException {
      RuleConfig config = oneMethod("operation: store", "key: arg0", "metric-attributes: [memory.key]");

      assertThat(config.problem().origin()).isEqualTo(config.at("metric-attributes:"));
    }

    @Test
    void shouldReportBadTypeLevelMetricAttributeOnceUnderTypeKeyAndDropEveryMethodOfTheType() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    metric-attributes: [memory.key]",
          "    methods:",
          "      - { name: store, operation: store, key: arg0 }",
          "      - { name: get, operation: retrieve, key: arg0 }");

      ConfigProblem problem = config.problem();
      assertThat(problem.key()).isEqualTo("memory-managers[0].metric-attributes");
      assertThat(problem.origin()).isEqualTo(config.at("metric-attributes:"));
      assertThat(problem.message())
          .isEqualTo("'memory.key' identifies single items and can never be a metric dimension");
      assertThat(problem.section()).isEqualTo("memory-managers");
      assertThat(config.rules()).isEmpty();
    }
  }

  @Nested
  class Shapes {

    @Test
    void shouldRejectSectionThatIsNotList() throws IOException {
      RuleConfig config = load(
          "ring:",
          "  size: 1024",
          "memory-managers: com.example.memory.NoteMemory");

      assertRuleProblem(config, "memory-managers", config.at("memory-managers:"), "must be a list");
      assertThat(config.rules()).isEmpty();
      assertThat(config.result.config().get(Settings.RING_SIZE)).as("other settings still apply").isEqualTo(1024);
    }

    @Test
    void shouldReportNonScalarAttributeKeyInsteadOfThrowing() throws IOException {
      RuleConfig config = oneMethod("operation: store", "attributes:", "  ? [a, b]", "  : cache");

      assertThat(config.problems()).extracting(ConfigProblem::section).containsExactly("memory-managers");
    }

    @Test
    void shouldReportKeySetTwiceInOneRule() throws IOException {
      RuleConfig config = oneMethod("operation: store", "key: arg0", "key: arg1");

      assertThat(config.problems()).extracting(ConfigProblem::key).containsExactly("memory-managers[0].methods[0].key");
    }
  }

  @Nested
  class FaultyRulesAreDropped {

    @Test
    void shouldKeepValidRulesAroundFaultyOnes() throws IOException {
      RuleConfig config = load(
          "span-prefix: aqe",
          "memory-managers:",
          "  - type: '*'",
          "    methods: [{ name: store, operation: store }]",
          "  - type: com.example.memory.CacheMemory",
          "    methods:",
          "      - { name: put, operation: store, key: arg0 }",
          "      - { name: get, operation: retrieve, key: nope }",
          "      - { name: evict, operation: delete, key: arg0 }",
          "  - type: com.example.memory.DeepMemory",
          "    methods: [{ name: create, operation: store }]");

      assertThat(config.problems()).extracting(ConfigProblem::key).containsExactly(
          "memory-managers[0].type", "memory-managers[1].methods[1].key");
      assertThat(config.problems()).extracting(ConfigProblem::section).containsOnly("memory-managers");
      assertThat(config.rules()).extracting(rule -> rule.typePattern() + "#" + rule.methodPatterns().get(0))
          .containsExactly("com.example.memory.CacheMemory#put", "com.example.memory.CacheMemory#evict",
              "com.example.memory.DeepMemory#create");
      assertThat(config.result.agentEnabled()).isTrue();
      assertThat(config.result.redisEnabled()).isTrue();
      assertThat(config.result.config().get(Settings.SPAN_PREFIX)).isEqualTo("aqe");
    }

    @Test
    void shouldFormatProblemWithFileLineKeyAndMessage() throws IOException {
      RuleConfig config = oneMethod("operation: store", "key: foo.bar");

      assertThat(config.problem().toString()).isEqualTo(config.at("key: foo.bar")
          + ": 'memory-managers[0].methods[0].key' expression 'foo.bar' must start with this, argN or return, not 'foo'");
    }
  }
}
