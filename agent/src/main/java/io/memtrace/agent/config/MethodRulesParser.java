package io.memtrace.agent.config;

import static io.memtrace.agent.semconv.AttributeNames.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code memory-managers} and {@code tasks} sections into {@link MethodRule}s: a type's
 * attributes under each of its methods, the method keys as span attributes through expressions, the
 * default span names. The nodes' shapes are read by {@link RuleNodes} and the values checked by
 * {@link RuleChecks}. Every problem names the section, the rule, the key and the line; a rule with a
 * problem is dropped, the others are kept.
 */
final class MethodRulesParser {

  /** Method keys that map to a span attribute through an expression. */
  private static final Map<String, String> MEMORY_EXPRESSIONS = Map.ofEntries(
      Map.entry("key", MEMORY_KEY.getKey()),
      Map.entry("namespace", MEMORY_NAMESPACE.getKey()),
      Map.entry("ttl", MEMORY_TTL.getKey()),
      Map.entry("found", MEMORY_FOUND.getKey()),
      Map.entry("results", MEMORY_RESULT_COUNT.getKey()),
      Map.entry("agent-id", AGENT_ID.getKey()),
      Map.entry("agent-type", AGENT_TYPE.getKey()),
      Map.entry("items", MEMORY_ITEM_COUNT.getKey()),
      Map.entry("query", GEN_AI_MEMORY_QUERY_TEXT.getKey()),
      Map.entry("model", GEN_AI_REQUEST_MODEL.getKey()),
      Map.entry("conversation", GEN_AI_CONVERSATION_ID.getKey()),
      Map.entry("messages", RULE_PROMPT_MESSAGES),
      Map.entry("documents", RULE_DOCUMENTS),
      Map.entry("memory-id", RULE_MEMORY_ID));
  private static final Set<String> MEMORY_METHOD_KEYS = Set.of("name", "operation", "key", "value",
      "namespace", "ttl", "found", "results", "agent-id", "agent-type", "attributes", "span",
      "metric-attributes", "args", "items", "query", "value-size", "gen-ai-operation", "model",
      "conversation", "messages", "documents", "memory-id", "context", "stream");
  /** What a read's {@code context} says its results are when they reach a prompt. */
  private static final Set<String> CONTEXT_SOURCES = Set.of("chat_memory", "retrieval");
  private static final Set<String> VALUE_SIZES = Set.of("auto", "json", "text");
  private static final Set<String> MEMORY_TYPE_KEYS = Set.of("type", "methods", "attributes", "metric-attributes");
  private static final Set<String> TASK_KEYS = Set.of("type", "method", "span", "attributes");

  private final String spanPrefix;
  private final List<MethodRule> rules = new ArrayList<>();
  private final RuleNodes nodes;
  private final RuleChecks checks;

  MethodRulesParser(String spanPrefix, String file) {
    this.spanPrefix = spanPrefix;
    this.nodes = new RuleNodes(file);
    this.checks = new RuleChecks(nodes);
  }

  List<MethodRule> rules() {
    return rules;
  }

  List<ConfigProblem> problems() {
    return nodes.problems();
  }

  void parseMemoryManagers(Node section) {
    eachEntry("memory-managers", section, MEMORY_TYPE_KEYS, this::memoryManager);
  }

  private void memoryManager(String where, Map<String, Node> type, Node entry, String typePattern) {
    Map<String, String> typeConstants = new LinkedHashMap<>();
    Map<String, String> typeExpressions = new LinkedHashMap<>();
    if (!checks.attributes(where, type.get("attributes"), typeConstants, typeExpressions)) {
      return;
    }
    List<String> typeMetricAttributes = nodes.stringList(where + ".metric-attributes", type.get("metric-attributes"));
    if (typePattern == null || typeMetricAttributes == null
        || !checks.lowCardinality(where + ".metric-attributes", type.get("metric-attributes"), typeMetricAttributes)) {
      return;
    }
    Node methods = type.get("methods");
    if (methods == null || (methods instanceof SequenceNode && ((SequenceNode) methods).getValue().isEmpty())) {
      nodes.problem(where + ".methods", entry, "is missing: list the methods to trace");
      return;
    }
    int m = 0;
    for (Node methodNode : nodes.sequence(where + ".methods", type.get("methods"))) {
      memoryMethod(where + ".methods[" + m++ + "]", typePattern, methodNode, typeConstants,
          typeExpressions, typeMetricAttributes, type.get("metric-attributes"));
    }
  }

  private void memoryMethod(String where, String typePattern, Node node, Map<String, String> typeConstants,
      Map<String, String> typeExpressions, List<String> typeMetricAttributes, Node typeMetricNode) {
    Map<String, Node> method = nodes.mapping(where, node, MEMORY_METHOD_KEYS);
    if (method == null) {
      return;
    }
    String name = nodes.scalar(where + ".name", method.get("name"), node, true);
    String operation = nodes.scalar(where + ".operation", method.get("operation"), node, true);
    if (name == null || operation == null) {
      return;
    }
    if (!operation.matches("[A-Za-z0-9_-]+")) {
      nodes.problem(where + ".operation", method.get("operation"), "must be a single word such as store, retrieve, search or delete, got '" + operation + "'");
      return;
    }
    Map<String, String> constants = new LinkedHashMap<>(typeConstants);
    Map<String, String> expressions = new LinkedHashMap<>(typeExpressions);
    boolean ok = checks.attributes(where, method.get("attributes"), constants, expressions);
    for (Map.Entry<String, String> e : MEMORY_EXPRESSIONS.entrySet()) {
      Node n = method.get(e.getKey());
      if (n != null) {
        String text = nodes.scalar(where + "." + e.getKey(), n, node, true);
        ok &= text != null && checks.expression(where + "." + e.getKey(), n, text);
        if (text != null) {
          expressions.put(e.getValue(), text);
        }
      }
    }
    String value = null;
    if (method.get("value") != null) {
      value = nodes.scalar(where + ".value", method.get("value"), node, true);
      ok &= value != null && checks.expression(where + ".value", method.get("value"), value);
    }
    String span = method.get("span") == null ? (operation.equals("chat") ? "chat" : defaultSpanName(operation))
        : nodes.scalar(where + ".span", method.get("span"), node, true);
    List<String> args = null;
    if (method.get("args") != null) {
      args = nodes.stringList(where + ".args", method.get("args"));
      ok &= args != null && checks.argumentTypes(where + ".args", method.get("args"), args);
    }
    String valueSize = optional(where, "value-size", method, node);
    String source = optional(where, "context", method, node);
    String genAi = optional(where, "gen-ai-operation", method, node);
    ok &= checks.oneOf(where + ".value-size", method.get("value-size"), valueSize, VALUE_SIZES, "auto, json or text")
        & checks.oneOf(where + ".context", method.get("context"), source, CONTEXT_SOURCES, "chat_memory or retrieval")
        & checks.oneOf(where + ".gen-ai-operation", method.get("gen-ai-operation"), genAi, GenAiOperations.VALUES,
            "one of " + String.join(", ", new java.util.TreeSet<>(GenAiOperations.VALUES)));
    if (source != null) {
      constants.put(CONTEXT_SOURCE.getKey(), source);
    }
    List<String> metricAttributes = new ArrayList<>(typeMetricAttributes);
    Node metricNode = method.get("metric-attributes");
    List<String> own = nodes.stringList(where + ".metric-attributes", metricNode);
    if (own == null || span == null || !ok || !checks.lowCardinality(where + ".metric-attributes", metricNode, own)) {
      return;
    }
    metricAttributes.addAll(own);
    if (!checks.definedMetricAttributes(where + ".metric-attributes", metricNode != null ? metricNode : typeMetricNode,
        metricAttributes, constants, expressions)) {
      return;
    }
    String stream = method.get("stream") == null ? "false"
        : nodes.scalar(where + ".stream", method.get("stream"), node, true);
    if (stream != null && !Set.of("true", "false", "handler").contains(stream)) {
      nodes.problem(where + ".stream", method.get("stream"), "must be true (a returned Flux or Mono), handler (the last"
          + " argument is told the end) or false, got '" + stream + "'");
      return;
    }
    MethodRule.Kind kind = operation.equals("chat")
        ? ("true".equals(stream) ? MethodRule.Kind.MODEL_STREAM
            : "handler".equals(stream) ? MethodRule.Kind.MODEL_CALLBACK : MethodRule.Kind.MODEL)
        : operation.equals("handoff") ? MethodRule.Kind.HANDOFF
        : operation.equals("stream-end") ? MethodRule.Kind.STREAM_END
        : operation.equals("stream-check") ? MethodRule.Kind.STREAM_CHECK : MethodRule.Kind.MEMORY;
    rules.add(new MethodRule(kind, where + " " + typePattern + "#" + name
        + (args == null ? "" : "(" + String.join(", ", args) + ")") + RuleNodes.line(node),
        typePattern, List.of(name), operation, span, expressions, value, constants, metricAttributes,
        args, valueSize, genAi, null));
  }

  void parseTasks(Node section) {
    eachEntry("tasks", section, TASK_KEYS, this::task);
  }

  private void task(String where, Map<String, Node> task, Node entry, String typePattern) {
    List<String> methods = task.get("method") instanceof ScalarNode
        ? List.of(((ScalarNode) task.get("method")).getValue().trim())
        : nodes.stringList(where + ".method", task.get("method"));
    if (methods != null && methods.contains("")) {
      nodes.problem(where + ".method", task.get("method"), "must be a non-empty single value");
      return;
    }
    if (task.get("method") == null || (methods != null && methods.isEmpty())) {
      nodes.problem(where + ".method", entry, "is missing: name the method(s) to trace, globs allowed");
      return;
    }
    String span = nodes.scalar(where + ".span", task.get("span"), entry, true);
    Map<String, String> constants = new LinkedHashMap<>();
    Map<String, String> expressions = new LinkedHashMap<>();
    boolean ok = checks.attributes(where, task.get("attributes"), constants, expressions);
    if (typePattern == null || methods == null || span == null || !ok) {
      return;
    }
    rules.add(new MethodRule(MethodRule.Kind.TASK, where + " " + typePattern + "#" + String.join("|", methods) + RuleNodes.line(entry),
        typePattern, methods, null, span, expressions, null, constants, List.of()));
  }

  /**
   * Hands each entry of a rules section that is a mapping of {@code keys} to {@code rule}, with where it stands
   * ({@code tasks[2]}) and its type pattern, checked first (null when that has a problem); a section or entry of
   * another shape is a problem of its own.
   */
  private void eachEntry(String section, Node node, Set<String> keys, EntryRule rule) {
    int index = 0;
    for (Node entry : nodes.sequence(section, node)) {
      String where = section + "[" + index++ + "]";
      Map<String, Node> mapping = nodes.mapping(where, entry, keys);
      if (mapping != null) {
        rule.read(where, mapping, entry, checks.typePattern(where, mapping.get("type"), entry));
      }
    }
  }

  /** Reads one entry of a rules section into its rules, or records its problems. */
  private interface EntryRule {
    void read(String where, Map<String, Node> mapping, Node entry, String typePattern);
  }

  /** The value of the optional key {@code key} of a method, or null when it is not given. */
  private String optional(String where, String key, Map<String, Node> method, Node node) {
    return method.get(key) == null ? null : nodes.scalar(where + "." + key, method.get(key), node, true);
  }

  /** {@code aqe.memory.store}; with the default prefix {@code memory}, simply {@code memory.store}. */
  private String defaultSpanName(String operation) {
    return spanPrefix.equals("memory") ? "memory." + operation : spanPrefix + ".memory." + operation;
  }
}
