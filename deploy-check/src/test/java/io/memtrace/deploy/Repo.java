package io.memtrace.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.BuildPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The repository the deployment files live in, and their contents as plain maps and lists. */
final class Repo {

  static final Path ROOT = BuildPaths.ROOT;

  private Repo() {
  }

  static Path path(String relative) {
    return BuildPaths.repoPath(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> yaml(String relative) {
    return map(new Yaml().load(read(relative)), relative);
  }

  /** {@code ${env:NAME:-default}}, the collector's substitution with a default (the YAML holds no other form). */
  static final java.util.regex.Pattern ENV_DEFAULT = java.util.regex.Pattern.compile("\\$\\{env:([A-Z0-9_]+):-([^}]*)}");

  /**
   * A collector configuration (the OpenTelemetry Collector's, Jaeger's) as compose runs it: every
   * {@code ${env:NAME:-default}} read as its default, since compose sets none of those variables.
   */
  static Map<String, Object> composeYaml(String relative) {
    String text = read(relative);
    assertNoBareVariables(text, relative);
    return map(new Yaml().load(ENV_DEFAULT.matcher(text).replaceAll(m ->
        java.util.regex.Matcher.quoteReplacement(m.group(2)))), relative);
  }

  /** A variable with no default would leave the compose run without a value: every one must have one. */
  private static void assertNoBareVariables(String text, String relative) {
    String rest = ENV_DEFAULT.matcher(text).replaceAll("");
    if (rest.contains("${")) {
      throw new AssertionError(relative + " uses a variable with no default (${env:NAME:-default}): "
          + rest.substring(rest.indexOf("${"), Math.min(rest.length(), rest.indexOf("${") + 60)));
    }
  }

  static JsonNode json(String relative) {
    try {
      return new ObjectMapper().readTree(path(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value, String what) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map)) {
      throw new AssertionError(what + " should be a mapping, is " + value);
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value, String what) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List)) {
      throw new AssertionError(what + " should be a list, is " + value);
    }
    return (List<Object>) value;
  }
}
