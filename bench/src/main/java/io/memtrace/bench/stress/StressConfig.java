package io.memtrace.bench.stress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/stress.yaml}: durations per mode, levels and bounds per scenario. A value may be one
 * number or one per mode ({@code {comprehensive: 300, ci: 20, smoke: 6}}); a mode without its own
 * value takes the ci one. Every error names the file and the key.
 */
public final class StressConfig {

  /** Which column of the durations a run reads. */
  public enum Mode { COMPREHENSIVE, CI, SMOKE }

  private final JsonNode root;
  private final Map<String, String> agentOverrides = new LinkedHashMap<>();
  private final String file;
  private final Mode mode;

  private StressConfig(JsonNode root, String file, Mode mode) {
    this.root = root;
    this.file = file;
    this.mode = mode;
  }

  public static StressConfig load(Path file, Mode mode) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not readable as YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.path("scenarios").isObject()) {
      throw new IllegalArgumentException(file + ": no 'scenarios' section");
    }
    return new StressConfig(root, file.toString(), mode);
  }

  public Mode mode() {
    return mode;
  }

  public double warmup() {
    return perMode(root.path("warmup"), "warmup");
  }

  /** The niceness the collector runs at ({@code collector-nice}), 0 where the file gives none. */
  public int collectorNice() {
    JsonNode node = root.path("collector-nice");
    return node.isMissingNode() ? 0 : (int) perMode(node, "collector-nice");
  }

  public List<String> quick() {
    List<String> names = new ArrayList<>();
    root.path("quick").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** The file's {@code agent-environment}, with the command line's {@code --agent-env} over it. */
  public Map<String, String> agentEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    root.path("agent-environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    env.putAll(agentOverrides);
    return env;
  }

  /** Sets {@code name} in every agent run's environment, over what the file says. */
  public void overrideAgentEnvironment(String name, String value) {
    agentOverrides.put(name, value);
  }

  public double number(String section, String key) {
    return require(root.path(section).path(key), section + "." + key).asDouble();
  }

  /** The settings of one scenario; an error when the file has none for it. */
  public Scenario scenario(String name) {
    JsonNode node = root.path("scenarios").path(name);
    if (!node.isObject()) {
      throw new IllegalArgumentException(file + ": no settings for scenario '" + name + "' under 'scenarios'");
    }
    return new Scenario(name, node);
  }

  /** Scenario names the file has settings for, in file order. */
  public List<String> scenarioNames() {
    List<String> names = new ArrayList<>();
    Iterator<String> it = root.path("scenarios").fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  private JsonNode require(JsonNode node, String key) {
    if (node.isMissingNode() || node.isNull()) {
      throw new IllegalArgumentException(file + ": '" + key + "' is missing");
    }
    return node;
  }

  private double perMode(JsonNode node, String key) {
    require(node, key);
    if (node.isNumber()) {
      return node.asDouble();
    }
    JsonNode v = node.path(mode.name().toLowerCase());
    if (v.isMissingNode()) {
      v = node.path("ci");
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(file + ": '" + key + "' has no number for mode " + mode.name().toLowerCase()
          + " nor for ci");
    }
    return v.asDouble();
  }

  /** One scenario's settings. */
  public final class Scenario {
    private final String name;
    private final JsonNode node;

    Scenario(String name, JsonNode node) {
      this.name = name;
      this.node = node;
    }

    /** A number, or the current mode's value of a per-mode one. */
    public double get(String key) {
      return perMode(node.path(key), "scenarios." + name + "." + key);
    }

    public int integer(String key) {
      return (int) Math.round(get(key));
    }

    public int[] integers(String key) {
      JsonNode list = require(node.path(key), "scenarios." + name + "." + key);
      int[] values = new int[list.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = list.get(i).asInt();
      }
      return values;
    }

    public boolean has(String key) {
      return !node.path(key).isMissingNode();
    }
  }
}
