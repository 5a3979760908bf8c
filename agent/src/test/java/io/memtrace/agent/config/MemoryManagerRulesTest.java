package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryManagerRulesTest {

  @TempDir
  Path dir;

  private RuleConfig load(String... lines) throws IOException {
    return RuleConfig.load(dir, lines);
  }

  /** One type with one method; {@code methodLines} are indented under the method entry. */
  private RuleConfig oneMethod(String... methodLines) throws IOException {
    String[] lines = new String[4 + methodLines.length];
    lines[0] = "memory-managers:";
    lines[1] = "  - type: com.example.memory.NoteMemory";
    lines[2] = "    methods:";
    lines[3] = "      - name: store";
    for (int i = 0; i < methodLines.length; i++) {
      lines[4 + i] = "        " + methodLines[i];
    }
    return load(lines);
  }

  private static void assertRuleProblem(RuleConfig config, String key, String origin, String message) {
    config.assertOnlyProblem("memory-managers", key, origin, message);
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
    void shouldRejectUnknownKeyInTypeEntryAndDropTheType() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    metric-attribute: [memory.layer]",
          "    methods: [{ name: store, operation: store }]");

      assertRuleProblem(config, "memory-managers[0].metric-attribute", config.at("metric-attribute:"),
          "is not a rule key (known: attributes, methods, metric-attributes, type)");
      assertThat(config.rules()).isEmpty();
    }

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
    void shouldRejectTypeEntryWithoutType() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - methods: [{ name: store, operation: store }]");

      assertRuleProblem(config, "memory-managers[0].type", config.at("- methods:"), "is missing");
      assertThat(config.rules()).isEmpty();
    }

    @Test
    void shouldRejectTypeEntryWithoutMethods() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    attributes: { memory.layer: cache }");

      assertRuleProblem(config, "memory-managers[0].methods", config.at("- type:"),
          "is missing: list the methods to trace");
    }

    @Test
    void shouldRejectEmptyMethodsList() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods: []");

      assertThat(config.problems()).extracting(ConfigProblem::key).containsExactly("memory-managers[0].methods");
    }

    @Test
    void shouldRejectMethodWithoutName() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods:",
          "      - operation: store",
          "        key: arg0");

      assertRuleProblem(config, "memory-managers[0].methods[0].name", config.at("- operation: store"), "is missing");
      assertThat(config.rules()).isEmpty();
    }

    @Test
    void shouldRejectMethodWithoutOperation() throws IOException {
      RuleConfig config = oneMethod("key: arg0");

      assertRuleProblem(config, "memory-managers[0].methods[0].operation", config.at("- name: store"), "is missing");
      assertThat(config.rules()).isEmpty();
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

    @Test
    void shouldRejectEmptyName() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods:",
          "      - name: ''",
          "        operation: store");

      assertRuleProblem(config, "memory-managers[0].methods[0].name", config.at("name: ''"),
          "must be a non-empty single value");
    }
  }

  @Nested
  class TypePatterns {

    @ParameterizedTest
    @ValueSource(strings = {"'*'", "'*.*'", "'**'", "java.lang.Object", "'.'"})
    void shouldRejectPatternMatchingEveryClass(String yaml) throws IOException {
      String pattern = yaml.replace("'", "");
      RuleConfig config = load(
          "memory-managers:",
          "  - type: " + yaml,
          "    methods: [{ name: store, operation: store }]");

      assertRuleProblem(config, "memory-managers[0].type", config.at("- type:"),
          "'" + pattern + "' would match every class; name a package and type, e.g. com.example.memory.*Memory");
      assertThat(config.rules()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"'*Memory'", "'*.memory.Store'"})
    void shouldRejectPatternStartingWithWildcard(String yaml) throws IOException {
      String pattern = yaml.replace("'", "");
      RuleConfig config = load(
          "memory-managers:",
          "  - type: " + yaml,
          "    methods: [{ name: store, operation: store }]");

      assertRuleProblem(config, "memory-managers[0].type", config.at("- type:"),
          "'" + pattern + "' must start with a package name: a leading * would match classes in every library");
      assertThat(config.rules()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.example.Memory<T>", "com/example/Memory", "com.example.Mem ory",
        "com.example.Memory?", "com.example.Memory#store"})
    void shouldRejectPatternWithCharactersOutsideClassNames(String pattern) throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: \"" + pattern + "\"",
          "    methods: [{ name: store, operation: store }]");

      assertRuleProblem(config, "memory-managers[0].type", config.at("- type:"),
          "'" + pattern + "' is not a class name pattern (letters, digits, '.', '$' and '*')");
    }

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
    void shouldRejectBadRootNamingExpressionAndKey() throws IOException {
      RuleConfig config = oneMethod("operation: store", "key: foo.bar");

      assertRuleProblem(config, "memory-managers[0].methods[0].key", config.at("key: foo.bar"),
          "expression 'foo.bar' must start with this, argN or return, not 'foo'");
      assertThat(config.rules()).isEmpty();
    }

    @Test
    void shouldRejectArgumentBeyondMaxArgs() throws IOException {
      RuleConfig config = oneMethod("operation: store", "ttl: arg6");

      assertRuleProblem(config, "memory-managers[0].methods[0].ttl", config.at("ttl: arg6"),
          "expression 'arg6' can read arg0 to arg5, not arg6");
    }

    @Test
    void shouldRejectEmptyPathElementInValue() throws IOException {
      RuleConfig config = oneMethod("operation: store", "value: arg0..x");

      assertRuleProblem(config, "memory-managers[0].methods[0].value", config.at("value: arg0..x"),
          "expression 'arg0..x' has an invalid path element ''");
    }

    @Test
    void shouldRejectComparisonWithAnythingButNull() throws IOException {
      RuleConfig config = oneMethod("operation: retrieve", "found: return != 5");

      assertRuleProblem(config, "memory-managers[0].methods[0].found", config.at("found: return != 5"),
          "expression 'return != 5' only '!= null' can follow a path, not '!= 5'");
    }

    @Test
    void shouldRejectConstantWhereMethodKeyNeedsExpression() throws IOException {
      RuleConfig config = oneMethod("operation: store", "namespace: sessions");

      assertRuleProblem(config, "memory-managers[0].methods[0].namespace", config.at("namespace: sessions"),
          "expression 'sessions' must start with this, argN or return, not 'sessions'");
    }

    @Test
    void shouldRejectBadExpressionInMethodAttribute() throws IOException {
      RuleConfig config = oneMethod("operation: store", "attributes:", "  memory.source: arg9.name");

      assertRuleProblem(config, "memory-managers[0].methods[0].attributes.memory.source",
          config.at("memory.source: arg9.name"), "expression 'arg9.name' can read arg0 to arg5, not arg9");
    }

    @Test
    void shouldRejectBadExpressionInTypeAttributeAndDropTheType() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    attributes:",
          "      memory.system: this..name",
          "    methods: [{ name: store, operation: store }, { name: get, operation: retrieve }]");

      assertRuleProblem(config, "memory-managers[0].attributes.memory.system", config.at("memory.system:"),
          "expression 'this..name' has an invalid path element ''");
      assertThat(config.rules()).isEmpty();
    }

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
    void shouldReportBadTypeLevelMetricAttributeOnceUnderTypeKey() throws IOException {
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
    }

    @Test
    void shouldDropEveryMethodOfTypeWithHighCardinalityTypeMetricAttribute() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    metric-attributes: [memory.key]",
          "    methods:",
          "      - { name: store, operation: store, key: arg0 }",
          "      - { name: get, operation: retrieve, key: arg0 }");

      assertThat(config.problems()).isNotEmpty().allSatisfy(p -> {
        assertThat(p.message()).isEqualTo("'memory.key' identifies single items and can never be a metric dimension");
        assertThat(p.section()).isEqualTo("memory-managers");
      });
      assertThat(config.rules()).isEmpty();
    }

    @Test
    void shouldRejectMetricAttributesThatIsNotList() throws IOException {
      RuleConfig config = oneMethod("operation: store", "metric-attributes: memory.layer");

      assertRuleProblem(config, "memory-managers[0].methods[0].metric-attributes",
          config.at("metric-attributes: memory.layer"), "must be a list");
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
    void shouldRejectSectionThatIsMapping() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  type: com.example.memory.NoteMemory",
          "  methods: [{ name: store, operation: store }]");

      assertRuleProblem(config, "memory-managers", config.at("  type:"), "must be a list");
    }

    @Test
    void shouldRejectEntryThatIsNotMapping() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - com.example.memory.NoteMemory");

      assertRuleProblem(config, "memory-managers[0]", config.at("- com.example"), "must be a mapping");
    }

    @Test
    void shouldRejectMethodsThatIsNotList() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods: store");

      assertRuleProblem(config, "memory-managers[0].methods", config.at("methods: store"), "must be a list");
    }

    @Test
    void shouldRejectOperationThatIsNotOneWord() throws IOException {
      RuleConfig config = oneMethod("operation: store items");

      assertRuleProblem(config, "memory-managers[0].methods[0].operation", config.at("operation:"),
          "must be a single word such as store, retrieve, search or delete, got 'store items'");
    }

    @Test
    void shouldRejectAttributesThatIsNotMapping() throws IOException {
      RuleConfig config = load(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    attributes: [memory.layer]",
          "    methods: [{ name: store, operation: store }]");

      assertRuleProblem(config, "memory-managers[0].attributes", config.at("attributes:"),
          "must be a mapping of attribute name to expression or constant");
    }

    @Test
    void shouldRejectAttributeValueThatIsNotSingleValue() throws IOException {
      RuleConfig config = oneMethod("operation: store", "attributes:", "  memory.tags: [a, b]");

      assertRuleProblem(config, "memory-managers[0].methods[0].attributes.memory.tags", config.at("memory.tags:"),
          "must be a single value");
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
