package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.MemtraceYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A YAML file with {@code memory-managers} or {@code tasks} rules, loaded as the agent would. */
final class RuleConfig {

  final Path file;
  final ConfigResult result;
  private final List<String> lines;

  private RuleConfig(Path file, List<String> lines, ConfigResult result) {
    this.file = file;
    this.lines = lines;
    this.result = result;
  }

  static RuleConfig load(Path dir, String... lines) throws IOException {
    Path file = MemtraceYaml.write(dir, lines);
    return new RuleConfig(file, List.of(lines), YamlConfigs.load(file, Map.of()));
  }

  /** {@code header}, then {@code body}'s lines indented by {@code indent}: a file around the entry a test varies. */
  static String[] indented(String[] body, String indent, String... header) {
    String[] lines = Arrays.copyOf(header, header.length + body.length);
    for (int i = 0; i < body.length; i++) {
      lines[header.length + i] = indent + body[i];
    }
    return lines;
  }

  List<ConfigProblem> problems() {
    return result.problems();
  }

  /** The file's own rules, without the built-in profiles' that follow them. */
  List<MethodRule> rules() {
    List<MethodRule> own = new ArrayList<>();
    for (MethodRule rule : result.config().methodRules()) {
      if (rule.profile() == null) {
        own.add(rule);
      }
    }
    return own;
  }

  /** The only problem found. */
  ConfigProblem problem() {
    assertThat(problems()).hasSize(1);
    return problems().get(0);
  }

  /**
   * The file has exactly one problem, in {@code section} (memory-managers, tasks), at {@code key} and
   * {@code origin}, saying {@code message}; and, being a rule problem, it left the agent on.
   */
  void assertOnlyProblem(String section, String key, String origin, String message) {
    ConfigProblem problem = problem();
    assertThat(problem.key()).isEqualTo(key);
    assertThat(problem.origin()).isEqualTo(origin);
    assertThat(problem.message()).isEqualTo(message);
    assertThat(problem.section()).isEqualTo(section);
    assertThat(result.agentEnabled()).as("a rule problem never switches the agent off").isTrue();
  }

  /**
   * As {@link #assertOnlyProblem}, with the problem on the line with {@code marker}; and the faulty entry was the
   * file's only one, so no rule of the file is left.
   */
  void assertOnlyFaultyEntry(String section, String key, String marker, String message) {
    assertOnlyProblem(section, key, at(marker), message);
    assertThat(rules()).isEmpty();
  }

  /** The rule whose label starts with {@code where}, e.g. {@code memory-managers[0].methods[1]}. */
  MethodRule rule(String where) {
    List<MethodRule> found = new ArrayList<>();
    for (MethodRule rule : rules()) {
      if (rule.label().startsWith(where + " ")) {
        found.add(rule);
      }
    }
    assertThat(found).as("rules labelled " + where + " in " + rules()).hasSize(1);
    return found.get(0);
  }

  /** {@code /path/memtrace.yaml line N} for the one line that contains {@code marker}. */
  String at(String marker) {
    return file + " line " + lineOf(marker);
  }

  int lineOf(String marker) {
    int found = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker)) {
        assertThat(found).as("'" + marker + "' must be on one line only").isEqualTo(-1);
        found = i + 1;
      }
    }
    assertThat(found).as("'" + marker + "' is in the file").isPositive();
    return found;
  }
}
