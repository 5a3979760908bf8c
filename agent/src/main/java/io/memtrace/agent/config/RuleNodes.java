package io.memtrace.agent.config;

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
 * The YAML nodes of the rule sections read as the shapes a rule expects: a list, a mapping of known keys, a single
 * value, a list of names. A node of another shape is a {@link ConfigProblem} that names the key and the line, and
 * the reader answers {@code null} (or an empty list) for it.
 */
final class RuleNodes {

  private final String file;
  private final List<ConfigProblem> problems = new ArrayList<>();

  /** @param file where the nodes come from, as problems name it */
  RuleNodes(String file) {
    this.file = file;
  }

  List<ConfigProblem> problems() {
    return problems;
  }

  List<Node> sequence(String key, Node node) {
    if (node instanceof SequenceNode) {
      return ((SequenceNode) node).getValue();
    }
    problem(key, node, "must be a list");
    return List.of();
  }

  /** The mapping's values by key; null when it is no mapping, or sets a key twice or one not {@code known}. */
  Map<String, Node> mapping(String where, Node node, Set<String> known) {
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

  /** The single value, trimmed; null when it is missing (a problem if {@code required}) or not a single value. */
  String scalar(String key, Node node, Node parent, boolean required) {
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

  /** The names listed; empty when the node is missing, null when it is not a list of single values. */
  List<String> stringList(String key, Node node) {
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

  void problem(String key, Node node, String message) {
    problems.add(new ConfigProblem(key, origin(node == null ? null : node.getStartMark()), message));
  }

  private String origin(Mark mark) {
    return mark == null ? file : file + " line " + (mark.getLine() + 1);
  }

  /** {@code " (line N)"} for a rule's label, or empty when the node has no position. */
  static String line(Node node) {
    return node == null || node.getStartMark() == null ? "" : " (line " + (node.getStartMark().getLine() + 1) + ")";
  }
}
