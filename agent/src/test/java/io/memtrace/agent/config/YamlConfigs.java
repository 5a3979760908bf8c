package io.memtrace.agent.config;

import io.memtrace.testsupport.MemtraceYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A memtrace.yaml written for one test and read as the agent reads {@code -javaagent:memtrace-agent.jar=config=FILE},
 * with no system properties: the one way the configuration tests of every package load a file.
 */
public final class YamlConfigs {

  private YamlConfigs() {
  }

  /** {@code lines}, joined by newlines, written to {@code dir}'s memtrace.yaml and read with no environment. */
  public static ConfigResult load(Path dir, String... lines) throws IOException {
    return load(MemtraceYaml.write(dir, lines), Map.of());
  }

  /** The configuration file {@code file} read with the environment {@code env}. */
  public static ConfigResult load(Path file, Map<String, String> env) {
    return ConfigLoader.load("config=" + file, env, new Properties());
  }
}
