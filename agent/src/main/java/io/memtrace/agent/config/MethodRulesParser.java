package io.memtrace.agent.config;

import static io.memtrace.agent.semconv.AttributeNames.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code memory-managers} and {@code tasks} sections into {@link MethodRule}s. Every
 * problem names the section, the rule, the key and the line; a rule with a problem is dropped,
 * the others are kept.
 */
final class MethodRulesParser {

  /** Method keys that map to a span attribute through an expression. */
  private static final Map<String, String> MEMORY_EXPRESSIONS = Map.of(
      "key", MEMORY_KEY.getKey(),
      "namespace", MEMORY_NAMESPACE.getKey(),
      "ttl", MEMORY_TTL.getKey(),
      "found", MEMORY_FOUND.getKey(),
      "results", MEMORY_RESULT_COUNT.getKey(),
      "agent-id", AGENT_ID.getKey(),
      "agent-type", AGENT_TYPE.getKey(),
      "items", MEMORY_ITEM_COUNT.getKey(),
      "query", GEN_AI_MEMORY_QUERY_TEXT.getKey());
  private static final Set<String> MEMORY_METHOD_KEYS = Set.of("name", "operation", "key", "value",
      "namespace", "ttl", "found", "results", "agent-id", "agent-type", "attributes", "span",
      "metric-attributes", "args", "items", "query", "value-size", "gen-ai-operation");
  private static final Set<String> VALUE_SIZES = Set.of("auto", "json", "text");
  private static final Set<String> MEMORY_TYPE_KEYS = Set.of("type", "methods", "attributes", "metric-attributes");
  private static final Set<String> TASK_KEYS = Set.of("type", "method", "span", "attributes");
  /** Attributes that identify one item; they never become metric dimensions. */
  private static final Set<String> HIGH_CARDINALITY = Set.of(MEMORY_KEY.getKey(), MEMORY_VALUE_SIZE.getKey(),
      MEMORY_TTL.getKey(), MEMORY_RESULT_COUNT.getKey(), MEMORY_ITEM_COUNT.getKey(), AGENT_ID.getKey(),
      GEN_AI_MEMORY_RECORD_ID.getKey(), GEN_AI_MEMORY_RECORD_COUNT.getKey(), GEN_AI_MEMORY_QUERY_TEXT.getKey());

  private final String spanPrefix;
  private final List<MethodRule> rules = new ArrayList<>();
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final String file;

  MethodRulesParser(String spanPrefix, String file) {
    this.spanPrefix = spanPrefix;
    this.file = file;
  }

  List<MethodRule> rules() {
    return rules;
  }

  List<ConfigProblem> problems() {
    return problems;
  }

  void parseMemoryManagers(Node section) {
    int index = 0;
    for (Node entry : sequence("memory-managers", section)) {
      String where = "memory-managers[" + index++ + "]";
      Map<String, Node> type = mapping(where, entry, MEMORY_TYPE_KEYS);
      if (type == null) {
        continue;
      }
      String typePattern = typePattern(where, type.get("type"), entry);
      Map<String, String> typeConstants = new LinkedHashMap<>();
      Map<String, String> typeExpressions = new LinkedHashMap<>();
      if (!attributes(where, type.get("attributes"), typeConstants, typeExpressions)) {
        continue;
      }
      List<String> typeMetricAttributes = stringList(where + ".metric-attributes", type.get("metric-attributes"));
      if (typePattern == null || typeMetricAttributes == null
          || !lowCardinality(where + ".metric-attributes", type.get("metric-attributes"), typeMetricAttributes)) {
        continue;
      }
      Node methods = type.get("methods");
      if (methods == null || (methods instanceof SequenceNode && ((SequenceNode) methods).getValue().isEmpty())) {
        problem(where + ".methods", entry, "is missing: list the methods to trace");
        continue;
      }
      int m = 0;
      for (Node methodNode : sequence(where + ".methods", type.get("methods"))) {
        memoryMethod(where + ".methods[" + m++ + "]", typePattern, methodNode, typeConstants,
            typeExpressions, typeMetricAttributes, type.get("metric-attributes"));
      }
    }
  }

  private void memoryMethod(String where, String typePattern, Node node, Map<String, String> typeConstants,
      Map<String, String> typeExpressions, List<String> typeMetricAttributes, Node typeMetricNode) {
    Map<String, Node> method = mapping(where, node, MEMORY_METHOD_KEYS);
    if (method == null) {
      return;
    }
    String name = scalar(where + ".name", method.get("name"), node, true);
    String operation = scalar(where + ".operation", method.get("operation"), node, true);
    if (name == null || operation == null) {
      return;
    }
    if (!operation.matches("[A-Za-z0-9_-]+")) {
      problem(where + ".operation", method.get("operation"), "must be a single word such as store, retrieve, search or delete, got '" + operation + "'");
      return;
    }
    Map<String, String> constants = new LinkedHashMap<>(typeConstants);
    Map<String, String> expressions = new LinkedHashMap<>(typeExpressions);
    boolean ok = attributes(where, method.get("attributes"), constants, expressions);
    for (Map.Entry<String, String> e : MEMORY_EXPRESSIONS.entrySet()) {
      Node n = method.get(e.getKey());
      if (n != null) {
        String text = scalar(where + "." + e.getKey(), n, node, true);
        ok &= text != null && checkExpression(where + "." + e.getKey(), n, text);
        if (text != null) {
          expressions.put(e.getValue(), text);
        }
      }
    }
    String value = null;
    if (method.get("value") != null) {
      value = scalar(where + ".value", method.get("value"), node, true);
      ok &= value != null && checkExpression(where + ".value", method.get("value"), value);
    }
    String span = method.get("span") == null ? defaultSpanName(operation)
        : scalar(where + ".span", method.get("span"), node, true);
    List<String> args = null;
    if (method.get("args") != null) {
      args = stringList(where + ".args", method.get("args"));
      ok &= args != null && argumentTypes(where + ".args", method.get("args"), args);
    }
    String valueSize = null;
    if (method.get("value-size") != null) {
      valueSize = scalar(where + ".value-size", method.get("value-size"), node, true);
      if (valueSize != null && !VALUE_SIZES.contains(valueSize)) {
        problem(where + ".value-size", method.get("value-size"), "must be auto, json or text, got '" + valueSize + "'");
        ok = false;
      }
    }
    String genAi = null;
    if (method.get("gen-ai-operation") != null) {
      genAi = scalar(where + ".gen-ai-operation", method.get("gen-ai-operation"), node, true);
      if (genAi != null && !GenAiOperations.VALUES.contains(genAi)) {
        problem(where + ".gen-ai-operation", method.get("gen-ai-operation"), "must be one of "
            + String.join(", ", new java.util.TreeSet<>(GenAiOperations.VALUES)) + ", got '" + genAi + "'");
        ok = false;
      }
    }
    List<String> metricAttributes = new ArrayList<>(typeMetricAttributes);
    Node metricNode = method.get("metric-attributes");
    List<String> own = stringList(where + ".metric-attributes", metricNode);
    if (own == null || span == null || !ok || !lowCardinality(where + ".metric-attributes", metricNode, own)) {
      return;
    }
    metricAttributes.addAll(own);
    if (!definedMetricAttributes(where + ".metric-attributes", metricNode != null ? metricNode : typeMetricNode,
        metricAttributes, constants, expressions)) {
      return;
    }
    rules.add(new MethodRule(MethodRule.Kind.MEMORY, where + " " + typePattern + "#" + name
        + (args == null ? "" : "(" + String.join(", ", args) + ")") + line(node),
        typePattern, List.of(name), operation, span, expressions, value, constants, metricAttributes,
        args, valueSize, genAi, null));
  }

  void parseTasks(Node section) {
    int index = 0;
    for (Node entry : sequence("tasks", section)) {
      String where = "tasks[" + index++ + "]";
      Map<String, Node> task = mapping(where, entry, TASK_KEYS);
      if (task == null) {
        continue;
      }
      String typePattern = typePattern(where, task.get("type"), entry);
      List<String> methods = task.get("method") instanceof ScalarNode
          ? List.of(((ScalarNode) task.get("method")).getValue().trim())
          : stringList(where + ".method", task.get("method"));
      if (methods != null && methods.contains("")) {
        problem(where + ".method", task.get("method"), "must be a non-empty single value");
        continue;
      }
      if (task.get("method") == null || (methods != null && methods.isEmpty())) {
        problem(where + ".method", entry, "is missing: name the method(s) to trace, globs allowed");
        continue;
      }
      String span = scalar(where + ".span", task.get("span"), entry, true);
      Map<String, String> constants = new LinkedHashMap<>();
      Map<String, String> expressions = new LinkedHashMap<>();
      boolean ok = attributes(where, task.get("attributes"), constants, expressions);
      if (typePattern == null || methods == null || span == null || !ok) {
        continue;
      }
      rules.add(new MethodRule(MethodRule.Kind.TASK, where + " " + typePattern + "#" + String.join("|", methods) + line(entry),
          typePattern, methods, null, span, expressions, null, constants, List.of()));
    }
  }

  private String typePattern(String where, Node node, Node parent) {
    String pattern = scalar(where + ".type", node, parent, true);
    if (pattern == null) {
      return null;
    }
    String stripped = pattern.replace("*", "").replace(".", "").trim();
    if (stripped.isEmpty() || pattern.equals("java.lang.Object")) {
      problem(where + ".type", node, "'" + pattern + "' would match every class; name a package and type, e.g. com.example.memory.*Memory");
      return null;
    }
    if (pattern.startsWith("*")) {
      problem(where + ".type", node, "'" + pattern + "' must start with a package name: a leading * would match classes in every library");
      return null;
    }
    if (!pattern.matches("[A-Za-z0-9_$.*]+")) {
      problem(where + ".type", node, "'" + pattern + "' is not a class name pattern (letters, digits, '.', '$' and '*')");
      return null;
    }
    return pattern;
  }

  private boolean attributes(String where, Node node, Map<String, String> constants, Map<String, String> expressions) {
    if (node == null) {
      return true;
    }
    if (!(node instanceof MappingNode)) {
      problem(where + ".attributes", node, "must be a mapping of attribute name to expression or constant");
      return false;
    }
    boolean ok = true;
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode)) {
        problem(where + ".attributes", t.getKeyNode(), "has a key that is not a plain attribute name");
        ok = false;
        continue;
      }
      String name = ((ScalarNode) t.getKeyNode()).getValue();
      if (!(t.getValueNode() instanceof ScalarNode)) {
        problem(where + ".attributes." + name, t.getValueNode(), "must be a single value");
        ok = false;
        continue;
      }
      String value = ((ScalarNode) t.getValueNode()).getValue();
      // a method's own attribute replaces the type's, whichever kind each is
      if (Expression.looksLikeExpression(value)) {
        ok &= checkExpression(where + ".attributes." + name, t.getValueNode(), value);
        expressions.put(name, value);
        constants.remove(name);
      } else {
        constants.put(name, value);
        expressions.remove(name);
      }
    }
    return ok;
  }

  private boolean argumentTypes(String key, Node node, List<String> types) {
    for (String type : types) {
      if (!type.matches("[A-Za-z0-9_$.*\\[\\]]+")) {
        problem(key, node, "'" + type + "' is not a parameter type (a class name such as java.util.List, "
            + "a primitive such as int, '[]' for arrays, '*' globs)");
        return false;
      }
    }
    return true;
  }

  private boolean lowCardinality(String key, Node node, List<String> names) {
    for (String name : names) {
      if (HIGH_CARDINALITY.contains(name)) {
        problem(key, node, "'" + name + "' identifies single items and can never be a metric dimension");
        return false;
      }
    }
    return true;
  }

  private boolean definedMetricAttributes(String key, Node node, List<String> names,
      Map<String, String> constants, Map<String, String> expressions) {
    for (String name : names) {
      if (!constants.containsKey(name) && !expressions.containsKey(name) && !name.equals(MEMORY_NAMESPACE.getKey())) {
        problem(key, node, "'" + name + "' is not an attribute of this rule");
        return false;
      }
    }
    return true;
  }

  /** {@code aqe.memory.store}; with the default prefix {@code memory}, simply {@code memory.store}. */
  private String defaultSpanName(String operation) {
    return spanPrefix.equals("memory") ? "memory." + operation : spanPrefix + ".memory." + operation;
  }

  private boolean checkExpression(String key, Node node, String text) {
    try {
      Expression.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      problem(key, node, "expression '" + text + "' " + e.getMessage());
      return false;
    }
  }

  private List<Node> sequence(String key, Node node) {
    if (node instanceof SequenceNode) {
      return ((SequenceNode) node).getValue();
    }
    problem(key, node, "must be a list");
    return List.of();
  }

  private Map<String, Node> mapping(String where, Node node, Set<String> known) {
    if (!(node instanceof MappingNode)) {
      problem(where, node, "must be a mapping");
      return null;
    }
    Map<String, Node> out = new LinkedHashMap<>();
    boolean ok = true;
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode ? ((ScalarNode) t.getKeyNode()).getValue() : "?";
      if (out.containsKey(key)) {
        problem(where + "." + key, t.getKeyNode(), "is set twice; remove one of them");
        ok = false;
      }
      if (!known.contains(key)) {
        problem(where + "." + key, t.getKeyNode(), "is not a rule key (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
        ok = false;
      }
      out.put(key, t.getValueNode());
    }
    return ok ? out : null;
  }

  private String scalar(String key, Node node, Node parent, boolean required) {
    if (node == null) {
      if (required) {
        problem(key, parent, "is missing");
      }
      return null;
    }
    if (!(node instanceof ScalarNode) || ((ScalarNode) node).getValue().trim().isEmpty()) {
      problem(key, node, "must be a non-empty single value");
      return null;
    }
    return ((ScalarNode) node).getValue().trim();
  }

  private List<String> stringList(String key, Node node) {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof SequenceNode)) {
      problem(key, node, "must be a list");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Node item : ((SequenceNode) node).getValue()) {
      if (!(item instanceof ScalarNode)) {
        problem(key, item, "must be a list of names");
        return null;
      }
      out.add(((ScalarNode) item).getValue());
    }
    return out;
  }

  private void problem(String key, Node node, String message) {
    problems.add(new ConfigProblem(key, origin(node == null ? null : node.getStartMark()), message));
  }

  private String origin(Mark mark) {
    return mark == null ? file : file + " line " + (mark.getLine() + 1);
  }

  private static String line(Node node) {
    return node == null || node.getStartMark() == null ? "" : " (line " + (node.getStartMark().getLine() + 1) + ")";
  }
}
