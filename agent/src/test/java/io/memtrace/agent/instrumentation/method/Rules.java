package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.ConfigResult;
import io.memtrace.agent.config.MethodRule;
import io.memtrace.agent.config.YamlConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Rules read from YAML lines exactly as the agent reads its configuration file. */
public final class Rules {

  private Rules() {
  }

  /** The configuration's result, problems included. */
  public static ConfigResult load(String... lines) {
    try {
      Path file = Files.createTempFile("memtrace-rules", ".yaml");
      try {
        Files.write(file, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        return YamlConfigs.load(file, Map.of());
      } finally {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rules of a configuration that has no problems. */
  public static List<MethodRule> of(String... lines) {
    ConfigResult result = load(lines);
    if (!result.problems().isEmpty()) {
      throw new IllegalArgumentException("configuration problems: " + result.problems());
    }
    return result.config().methodRules();
  }

  public static RuleMatcher matcher(String... lines) {
    return new RuleMatcher(of(lines));
  }
}
