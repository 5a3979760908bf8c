package io.memtrace.agent.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads memtrace's settings from, in rising precedence: defaults, the YAML file, environment
 * variables ({@code MEMTRACE_RING_SIZE}) and system properties ({@code -Dmemtrace.ring.size}).
 * Validation never throws: every problem is collected with the key and where it was set.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /**
   * Loads the configuration for an agent started with {@code agentArgs} (for example
   * {@code config=/etc/memtrace.yaml}).
   */
  public static ConfigResult load(String agentArgs, Map<String, String> env, Properties props) {
    List<Setting> settings = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();

    String file = configFile(agentArgs, env, props);
    if (file != null) {
      Path path = Paths.get(file);
      if (!Files.isRegularFile(path)) {
        problems.add(new ConfigProblem("config", path.toString(), "names a file that does not exist"));
      } else {
        YamlSettingsReader reader = YamlSettingsReader.read(path);
        settings.addAll(reader.settings());
        problems.addAll(reader.problems());
      }
    }
    for (String key : ConfigSchema.KEYS.keySet()) {
      String envName = ConfigSchema.environmentName(key);
      String value = env.get(envName);
      if (value != null) {
        settings.add(overrideSetting(key, value, "environment variable " + envName));
      }
      String propName = ConfigSchema.propertyName(key);
      value = props.getProperty(propName);
      if (value != null) {
        settings.add(overrideSetting(key, value, "system property " + propName));
      }
    }
    ConfigResult result = fromSettings(settings);
    problems.addAll(result.problems());
    return new ConfigResult(result.config(), problems);
  }

  /** Where the YAML file is, from the agent argument, {@code -Dmemtrace.config} or the env. */
  static String configFile(String agentArgs, Map<String, String> env, Properties props) {
    if (agentArgs != null) {
      for (String part : agentArgs.split(",")) {
        String trimmed = part.trim();
        if (trimmed.startsWith("config=")) {
          return trimmed.substring("config=".length());
        }
      }
    }
    String prop = props.getProperty("memtrace.config");
    if (prop != null && !prop.isEmpty()) {
      return prop;
    }
    String fromEnv = env.get("MEMTRACE_CONFIG");
    return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
  }

  private static Setting overrideSetting(String key, String value, String origin) {
    if (ConfigSchema.KEYS.get(key) == ConfigSchema.Kind.LIST) {
      List<String> items = new ArrayList<>();
      for (String item : value.split(",")) {
        if (!item.trim().isEmpty()) {
          items.add(item.trim());
        }
      }
      return new Setting(key, items, origin);
    }
    return new Setting(key, value, origin);
  }

  static ConfigResult fromSettings(List<Setting> settings) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, Setting> effective = new LinkedHashMap<>();
    Setting memoryManagers = null;
    Setting tasks = null;
    for (Setting s : settings) {
      if (s.key.equals("memory-managers")) {
        memoryManagers = s;
      } else if (s.key.equals("tasks")) {
        tasks = s;
      } else if (!ConfigSchema.KEYS.containsKey(s.key)) {
        problems.add(new ConfigProblem(s.key, s.origin,
            "is not a memtrace setting (known: " + ConfigSchema.knownKeysNear(s.key) + ")"));
      } else {
        effective.put(s.key, s);
      }
    }
    Values values = new Values(effective, problems);
    String spanPrefix = values.string("span-prefix", Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*"),
        "must be letters, digits, '_', '-' or '.'");
    List<MethodRule> rules = new ArrayList<>();
    for (Setting section : Arrays.asList(memoryManagers, tasks)) {
      if (section == null) {
        continue;
      }
      int line = section.origin.lastIndexOf(" line ");
      MethodRulesParser parser = new MethodRulesParser(spanPrefix,
          line < 0 ? section.origin : section.origin.substring(0, line));
      if (section == memoryManagers) {
        parser.parseMemoryManagers((org.yaml.snakeyaml.nodes.Node) section.value);
      } else {
        parser.parseTasks((org.yaml.snakeyaml.nodes.Node) section.value);
      }
      rules.addAll(parser.rules());
      problems.addAll(parser.problems());
    }
    String valueSize = values.string("capture.value-size", Pattern.compile("auto|json"), "must be auto or json");
    MemtraceConfig config = new MemtraceConfig(
        spanPrefix,
        values.bool("capture.keys"),
        values.bool("capture.values"),
        values.list("capture.redact-keys"),
        values.bool("redis.enabled"),
        values.regexWithGroup("redis.namespace-from-key"),
        values.powerOfTwo("ring.size", 64, 1 << 24),
        values.integer("shutdown.timeout-ms", 0, 600_000),
        rules,
        valueSize.equals("json"));
    return new ConfigResult(config, problems);
  }

  /** Typed reads of the effective settings; a bad value is reported and the default used. */
  private static final class Values {
    private final Map<String, Setting> settings;
    private final List<ConfigProblem> problems;

    Values(Map<String, Setting> settings, List<ConfigProblem> problems) {
      this.settings = settings;
      this.problems = problems;
    }

    private String raw(String key) {
      Setting s = settings.get(key);
      if (s == null) {
        return ConfigSchema.DEFAULTS.get(key);
      }
      if (!(s.value instanceof String)) {
        problem(key, "must be a single value, not a list or a section");
        return ConfigSchema.DEFAULTS.get(key);
      }
      return (String) s.value;
    }

    private void problem(String key, String message) {
      Setting s = settings.get(key);
      problems.add(new ConfigProblem(key, s == null ? "default" : s.origin, message));
    }

    String string(String key, Pattern allowed, String rule) {
      String value = raw(key);
      if (!allowed.matcher(value).matches()) {
        problem(key, rule + ", got '" + value + "'");
        return ConfigSchema.DEFAULTS.get(key);
      }
      return value;
    }

    boolean bool(String key) {
      String value = raw(key).trim();
      if (value.equalsIgnoreCase("true")) {
        return true;
      }
      if (value.equalsIgnoreCase("false")) {
        return false;
      }
      problem(key, "must be true or false, got '" + value + "'");
      return Boolean.parseBoolean(ConfigSchema.DEFAULTS.get(key));
    }

    int integer(String key, int min, int max) {
      String value = raw(key).trim();
      try {
        int parsed = Integer.parseInt(value);
        if (parsed < min || parsed > max) {
          problem(key, "must be between " + min + " and " + max + ", got " + parsed);
          return Integer.parseInt(ConfigSchema.DEFAULTS.get(key));
        }
        return parsed;
      } catch (NumberFormatException e) {
        problem(key, "must be a whole number, got '" + value + "'");
        return Integer.parseInt(ConfigSchema.DEFAULTS.get(key));
      }
    }

    int powerOfTwo(String key, int min, int max) {
      int value = integer(key, min, max);
      if (Integer.bitCount(value) != 1) {
        problem(key, "must be a power of two (for example 65536), got " + value);
        return Integer.parseInt(ConfigSchema.DEFAULTS.get(key));
      }
      return value;
    }

    @SuppressWarnings("unchecked")
    List<String> list(String key) {
      Setting s = settings.get(key);
      if (s == null) {
        return List.of();
      }
      if (s.value instanceof List) {
        return (List<String>) s.value;
      }
      String value = (String) s.value;
      if (value == null || value.trim().isEmpty()) {
        return List.of();
      }
      return Arrays.asList(value.split("\\s*,\\s*"));
    }

    Pattern regexWithGroup(String key) {
      String value = raw(key);
      try {
        Pattern pattern = Pattern.compile(value);
        if (pattern.matcher("").groupCount() < 1) {
          problem(key, "must have a capturing group for the namespace, got '" + value + "'");
          return Pattern.compile(ConfigSchema.DEFAULTS.get(key));
        }
        return pattern;
      } catch (PatternSyntaxException e) {
        problem(key, "is not a valid regular expression: " + e.getDescription() + " in '" + value + "'");
        return Pattern.compile(ConfigSchema.DEFAULTS.get(key));
      }
    }
  }
}
