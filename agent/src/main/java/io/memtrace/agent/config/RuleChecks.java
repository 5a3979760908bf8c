package io.memtrace.agent.config;

import static io.memtrace.agent.semconv.AttributeNames.*;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * What a rule's values must be beyond their YAML shape: a type pattern that names a package, parameter types,
 * expressions that compile, values from a fixed set, and metric attributes that are low-cardinality attributes of
 * the rule; and the {@code attributes} mapping of a type, method or task. Each check says
 * what is wrong through {@link RuleNodes#problem} and answers whether the value passed.
 */
final class RuleChecks {

  /** Attributes that identify one item; they never become metric dimensions. */
  private static final Set<String> HIGH_CARDINALITY = Set.of(MEMORY_KEY.getKey(), MEMORY_VALUE_SIZE.getKey(),
      MEMORY_TTL.getKey(), MEMORY_RESULT_COUNT.getKey(), MEMORY_ITEM_COUNT.getKey(), AGENT_ID.getKey(),
      GEN_AI_MEMORY_RECORD_ID.getKey(), GEN_AI_MEMORY_RECORD_COUNT.getKey(), GEN_AI_MEMORY_QUERY_TEXT.getKey());

  private final RuleNodes nodes;

  RuleChecks(RuleNodes nodes) {
    this.nodes = nodes;
  }

  /** The rule's {@code type}, a class name glob that names a package; null when it is missing or too wide. */
  String typePattern(String where, Node node, Node parent) {
    String pattern = nodes.scalar(where + ".type", node, parent, true);
    if (pattern == null) {
      return null;
    }
    String stripped = pattern.replace("*", "").replace(".", "").trim();
    if (stripped.isEmpty() || pattern.equals("java.lang.Object")) {
      nodes.problem(where + ".type", node, "'" + pattern + "' would match every class; name a package and type, e.g. com.example.memory.*Memory");
      return null;
    }
    if (pattern.startsWith("*")) {
      nodes.problem(where + ".type", node, "'" + pattern + "' must start with a package name: a leading * would match classes in every library");
      return null;
    }
    if (!pattern.matches("[A-Za-z0-9_$.*]+")) {
      nodes.problem(where + ".type", node, "'" + pattern + "' is not a class name pattern (letters, digits, '.', '$' and '*')");
      return null;
    }
    return pattern;
  }

  boolean argumentTypes(String key, Node node, List<String> types) {
    for (String type : types) {
      if (!type.matches("[A-Za-z0-9_$.*\\[\\]]+")) {
        nodes.problem(key, node, "'" + type + "' is not a parameter type (a class name such as java.util.List, "
            + "a primitive such as int, '[]' for arrays, '*' globs)");
        return false;
      }
    }
    return true;
  }

  boolean lowCardinality(String key, Node node, List<String> names) {
    for (String name : names) {
      if (HIGH_CARDINALITY.contains(name)) {
        nodes.problem(key, node, "'" + name + "' identifies single items and can never be a metric dimension");
        return false;
      }
    }
    return true;
  }

  boolean definedMetricAttributes(String key, Node node, List<String> names,
      Map<String, String> constants, Map<String, String> expressions) {
    for (String name : names) {
      if (!constants.containsKey(name) && !expressions.containsKey(name) && !name.equals(MEMORY_NAMESPACE.getKey())) {
        nodes.problem(key, node, "'" + name + "' is not an attribute of this rule");
        return false;
      }
    }
    return true;
  }

  boolean expression(String key, Node node, String text) {
    try {
      Expression.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      nodes.problem(key, node, "expression '" + text + "' " + e.getMessage());
      return false;
    }
  }

  /** Whether {@code value}, when given, is one of {@code allowed}; else says it must be {@code expected}. */
  boolean oneOf(String key, Node node, String value, Set<String> allowed, String expected) {
    if (value == null || allowed.contains(value)) {
      return true;
    }
    nodes.problem(key, node, "must be " + expected + ", got '" + value + "'");
    return false;
  }

  /**
   * Reads an {@code attributes} mapping into {@code constants} and {@code expressions} (an expression is checked to
   * compile); an attribute given here replaces one of the same name in either, whichever kind each is.
   */
  boolean attributes(String where, Node node, Map<String, String> constants, Map<String, String> expressions) {
    if (node == null) {
      return true;
    }
    if (!(node instanceof MappingNode)) {
      nodes.problem(where + ".attributes", node, "must be a mapping of attribute name to expression or constant");
      return false;
    }
    boolean ok = true;
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode)) {
        nodes.problem(where + ".attributes", t.getKeyNode(), "has a key that is not a plain attribute name");
        ok = false;
        continue;
      }
      String name = ((ScalarNode) t.getKeyNode()).getValue();
      if (!(t.getValueNode() instanceof ScalarNode)) {
        nodes.problem(where + ".attributes." + name, t.getValueNode(), "must be a single value");
        ok = false;
        continue;
      }
      String value = ((ScalarNode) t.getValueNode()).getValue();
      // a method's own attribute replaces the type's, whichever kind each is
      if (Expression.looksLikeExpression(value)) {
        ok &= expression(where + ".attributes." + name, t.getValueNode(), value);
        expressions.put(name, value);
        constants.remove(name);
      } else {
        constants.put(name, value);
        expressions.remove(name);
      }
    }
    return ok;
  }
}
