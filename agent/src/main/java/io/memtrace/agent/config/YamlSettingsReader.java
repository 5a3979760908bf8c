package io.memtrace.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Flattens a YAML file into dotted settings ({@code capture.keys}), each remembering its line, so
 * a bad value can be reported where the user wrote it. Only the composed node tree is used: no
 * object is ever constructed from the file.
 */
final class YamlSettingsReader {

  private final Path file;
  private final List<RawValue> settings = new ArrayList<>();
  private final List<ConfigProblem> problems = new ArrayList<>();
  /** Dotted keys already read: SnakeYAML's duplicate check runs only when constructing objects. */
  private final java.util.Set<String> seen = new java.util.HashSet<>();

  private YamlSettingsReader(Path file) {
    this.file = file;
  }

  static YamlSettingsReader read(Path file) {
    YamlSettingsReader reader = new YamlSettingsReader(file);
    reader.parse();
    return reader;
  }

  List<RawValue> settings() {
    return settings;
  }

  List<ConfigProblem> problems() {
    return problems;
  }

  private void parse() {
    Node root;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      // the composer alone: the full Yaml facade would pull its emitter and object mapping into the jar
      LoaderOptions options = new LoaderOptions();
      root = new Composer(new ParserImpl(new StreamReader(in), options), new Resolver(), options).getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problems.add(new ConfigProblem(ConfigProblem.FILE, where(mark), "is not valid YAML: " + e.getProblem()));
      return;
    } catch (YAMLException e) {
      problems.add(new ConfigProblem(ConfigProblem.FILE, file.toString(), "is not valid YAML: " + e.getMessage()));
      return;
    } catch (IOException e) {
      problems.add(new ConfigProblem(ConfigProblem.FILE, file.toString(), "cannot be read: " + e));
      return;
    }
    if (root == null) {
      return; // an empty file means all defaults
    }
    if (!(root instanceof MappingNode)) {
      problems.add(new ConfigProblem(ConfigProblem.FILE, where(root.getStartMark()),
          "must be a mapping of settings, not a " + root.getNodeId()));
      return;
    }
    flatten("", (MappingNode) root);
  }

  private void flatten(String prefix, MappingNode mapping) {
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Node valueNode = tuple.getValueNode();
      if (!(keyNode instanceof ScalarNode)) {
        problems.add(new ConfigProblem(prefix + "?", where(keyNode.getStartMark()),
            "has a key that is not a plain name"));
        continue;
      }
      String key = prefix + ((ScalarNode) keyNode).getValue();
      String origin = where(keyNode.getStartMark());
      if (!(valueNode instanceof MappingNode) || isSection(key)) {
        if (!seen.add(key)) {
          problems.add(new ConfigProblem(key, origin, "is set twice; remove one of them"));
          continue;
        }
      }
      if (isSection(key)) {
        settings.add(new RawValue(key, valueNode, origin)); // read by MethodRulesParser
      } else if (valueNode instanceof MappingNode) {
        flatten(key + ".", (MappingNode) valueNode);
      } else if (valueNode instanceof SequenceNode) {
        List<String> items = new ArrayList<>();
        for (Node item : ((SequenceNode) valueNode).getValue()) {
          if (item instanceof ScalarNode) {
            items.add(((ScalarNode) item).getValue());
          } else {
            problems.add(new ConfigProblem(key, where(item.getStartMark()),
                "must be a list of plain values"));
          }
        }
        settings.add(new RawValue(key, items, origin));
      } else {
        settings.add(new RawValue(key, ((ScalarNode) valueNode).getValue(), origin));
      }
    }
  }

  private static boolean isSection(String key) {
    Setting<?> setting = Settings.inFile(key);
    return setting != null && setting.isSection();
  }

  private String where(Mark mark) {
    return mark == null ? file.toString() : file + " line " + (mark.getLine() + 1);
  }
}
