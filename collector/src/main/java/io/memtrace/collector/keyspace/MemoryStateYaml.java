package io.memtrace.collector.keyspace;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.health.RecordPattern;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.common.MemoryStateSection;
import io.memtrace.common.NamespaceRule;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the watcher's part of memtrace's YAML file from the composed node tree (no objects are
 * constructed from the file), so every error names the key and its line. The rule may be nested
 * ({@code redis: {namespace-from-key: ...}}) or dotted, as the agent accepts it.
 */
final class MemoryStateYaml {

  static final String LAYERS = "layers";
  static final String DEEP_RECORDS = "deep-records";
  static final String TENANT = "tenant";
  static final String RECORD_PATTERN = "record-pattern";
  static final String FROM_CONVERSATION = "from-conversation";
  static final String FROM_ATTRIBUTE = "from-attribute";
  static final String FROM_KEY = "from-key";

  private final Path file;
  /** The tenant rule, once the section is read. */
  private TenantRule tenant = TenantRule.NONE;
  /** The record pattern, once the section is read. */
  private RecordPattern records = RecordPattern.defaults();

  private MemoryStateYaml(Path file) {
    this.file = file;
  }

  static MemoryStateConfig read(Path file) {
    return new MemoryStateYaml(file).parse();
  }

  private MemoryStateConfig parse() {
    if (!Files.isRegularFile(file)) {
      throw new CollectorException("--config " + file + " names a file that does not exist");
    }
    Node root;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      root = new Composer(new ParserImpl(new StreamReader(in), options), new Resolver(), options).getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new CollectorException(where(mark) + ": is not valid YAML: " + e.getProblem(), e);
    } catch (YAMLException | IOException e) {
      throw new CollectorException(file + ": cannot be read as YAML: " + e.getMessage(), e);
    }
    NamespaceRule rule = NamespaceRule.defaultRule();
    LayerMap layers = LayerMap.defaults();
    tenant = TenantRule.NONE;
    if (root == null) {
      return new MemoryStateConfig(rule, layers, tenant, records, file.toString());
    }
    if (!(root instanceof MappingNode)) {
      throw new CollectorException(where(root.getStartMark()) + ": must be a mapping of settings");
    }
    Map<String, Node> flat = new LinkedHashMap<>();
    flatten("", (MappingNode) root, flat);
    Node ruleNode = flat.get(NamespaceRule.KEY);
    if (ruleNode != null) {
      try {
        rule = NamespaceRule.parse(scalar(NamespaceRule.KEY, ruleNode));
      } catch (IllegalArgumentException e) {
        throw problem(NamespaceRule.KEY, ruleNode, e.getMessage());
      }
    }
    Node section = flat.get(MemoryStateSection.KEY);
    if (section != null) {
      layers = layers(section);
    }
    return new MemoryStateConfig(rule, layers, tenant, records, file.toString());
  }

  /** Dotted keys down to values; the memory-state section is kept whole, as the agent keeps it. */
  private void flatten(String prefix, MappingNode mapping, Map<String, Node> out) {
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode)) {
        continue; // the agent reports keys that are not plain names
      }
      String key = prefix + ((ScalarNode) t.getKeyNode()).getValue();
      if (t.getValueNode() instanceof MappingNode && !key.equals(MemoryStateSection.KEY)) {
        flatten(key + ".", (MappingNode) t.getValueNode(), out);
      } else {
        out.put(key, t.getValueNode());
      }
    }
  }

  private LayerMap layers(Node section) {
    String key = MemoryStateSection.KEY;
    if (!(section instanceof MappingNode)) {
      throw problem(key, section, "must be a mapping with " + LAYERS + " and " + DEEP_RECORDS);
    }
    Map<String, List<String>> globs = new LinkedHashMap<>(LayerMap.DEFAULT_GLOBS);
    List<String> deepRecords = LayerMap.DEFAULT_DEEP_RECORDS;
    for (NodeTuple t : ((MappingNode) section).getValue()) {
      String name = key + "." + name(key, t.getKeyNode());
      if (name.equals(key + "." + LAYERS)) {
        globs = layerGlobs(name, t.getValueNode());
      } else if (name.equals(key + "." + DEEP_RECORDS)) {
        deepRecords = globList(name, t.getValueNode());
      } else if (name.equals(key + "." + TENANT)) {
        tenant = tenant(name, t.getValueNode());
      } else if (name.equals(key + "." + RECORD_PATTERN)) {
        if (!(t.getValueNode() instanceof ScalarNode scalar)) {
          throw problem(name, t.getValueNode(), "must be a glob such as " + RecordPattern.DEFAULT + " or a regex");
        }
        try {
          records = RecordPattern.parse(scalar.getValue());
        } catch (io.memtrace.collector.CollectorException e) {
          throw problem(name, t.getValueNode(), e.getMessage());
        }
      } else {
        throw problem(name, t.getKeyNode(), "is not a key of " + key + " (known: " + LAYERS + ", " + DEEP_RECORDS
            + ", " + TENANT + ", " + RECORD_PATTERN + ")");
      }
    }
    return new LayerMap(globs, deepRecords);
  }

  /**
   * The tenant rule: {@code from-conversation} (a pattern over {@code gen_ai.conversation.id}), {@code from-attribute}
   * (an attribute of the memory or model span) and {@code from-key} (a pattern over Redis keys and record ids); each
   * pattern's first group is the tenant. See {@link TenantRule}.
   */
  private TenantRule tenant(String key, Node node) {
    if (!(node instanceof MappingNode)) {
      throw problem(key, node, "must be a mapping with " + FROM_CONVERSATION + ", " + FROM_ATTRIBUTE + " or " + FROM_KEY);
    }
    Pattern conversation = null;
    String attribute = null;
    Pattern keys = null;
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      String name = name(key, t.getKeyNode());
      String value = scalar(key + "." + name, t.getValueNode());
      if (value.isEmpty()) {
        throw problem(key + "." + name, t.getValueNode(), "is empty");
      }
      switch (name) {
        case FROM_CONVERSATION -> conversation = pattern(key + "." + name, t.getValueNode(), value);
        case FROM_ATTRIBUTE -> attribute = value;
        case FROM_KEY -> keys = pattern(key + "." + name, t.getValueNode(), value);
        default -> throw problem(key + "." + name, t.getKeyNode(), "is not a key of " + key + " (known: "
            + FROM_CONVERSATION + ", " + FROM_ATTRIBUTE + ", " + FROM_KEY + ")");
      }
    }
    return new TenantRule(conversation, attribute, keys);
  }

  private Pattern pattern(String key, Node node, String value) {
    try {
      return Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw problem(key, node, "is not a regular expression: " + e.getDescription());
    }
  }

  /** A layer left out has no namespaces: the section replaces the default mapping as a whole. */
  private Map<String, List<String>> layerGlobs(String key, Node node) {
    if (!(node instanceof MappingNode)) {
      throw problem(key, node, "must map layers (" + String.join(", ", LayerMap.LAYERS) + ") to lists of namespace globs");
    }
    Map<String, List<String>> globs = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      String layer = name(key, t.getKeyNode());
      if (!LayerMap.LAYERS.contains(layer)) {
        throw problem(key + "." + layer, t.getKeyNode(), "is not a layer (known: " + String.join(", ", LayerMap.LAYERS) + ")");
      }
      globs.put(layer, globList(key + "." + layer, t.getValueNode()));
    }
    return globs;
  }

  private List<String> globList(String key, Node node) {
    List<String> globs = new ArrayList<>();
    if (node instanceof ScalarNode) {
      globs.add(((ScalarNode) node).getValue());
    } else if (node instanceof SequenceNode) {
      for (Node item : ((SequenceNode) node).getValue()) {
        globs.add(scalar(key, item));
      }
    } else {
      throw problem(key, node, "must be a list of namespace globs");
    }
    for (String glob : globs) {
      if (glob.isEmpty()) {
        throw problem(key, node, "has an empty glob");
      }
    }
    return globs;
  }

  private String name(String parent, Node keyNode) {
    if (!(keyNode instanceof ScalarNode)) {
      throw problem(parent, keyNode, "has a key that is not a plain name");
    }
    return ((ScalarNode) keyNode).getValue();
  }

  private String scalar(String key, Node node) {
    if (!(node instanceof ScalarNode)) {
      throw problem(key, node, "must be a plain value");
    }
    return ((ScalarNode) node).getValue();
  }

  private CollectorException problem(String key, Node node, String message) {
    return new CollectorException(where(node.getStartMark()) + ": " + key + " " + message);
  }

  private String where(Mark mark) {
    return mark == null ? file.toString() : file + " line " + (mark.getLine() + 1);
  }
}
