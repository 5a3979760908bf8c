package io.memtrace.agent.config;

import io.memtrace.agent.config.ValueType.BadValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads every declared setting ({@link Settings}, {@link OtelSettings}) from, in rising
 * precedence: its default (or the setting it inherits), the YAML file, the environment variable
 * and the system property. Validation never throws: every problem is collected with the key,
 * where it was set and what it switches off.
 */
public final class ConfigLoader {

  /** The agent argument that names the YAML file: {@code -javaagent:memtrace-agent.jar=config=PATH}. */
  public static final String AGENT_ARGUMENT = "config=";

  private ConfigLoader() {
  }

  /**
   * Loads the configuration for an agent started with {@code agentArgs} (for example
   * {@code config=/etc/memtrace.yaml}).
   */
  public static ConfigResult load(String agentArgs, Map<String, String> env, Properties props) {
    List<RawValue> given = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    String file = configFile(agentArgs, env, props);
    if (file != null) {
      Path path = Paths.get(file);
      if (!Files.isRegularFile(path)) {
        problems.add(new ConfigProblem("config", path.toString(), "names a file that does not exist"));
      } else {
        YamlSettingsReader reader = YamlSettingsReader.read(path);
        given.addAll(reader.settings());
        problems.addAll(reader.problems());
      }
    }
    for (Setting<?> setting : Settings.all()) {
      if (setting.isSection()) {
        continue; // rules have no environment form
      }
      addIfSet(given, setting, env.get(setting.environmentName()),
          "environment variable " + setting.environmentName());
      addIfSet(given, setting, props.getProperty(setting.propertyName()),
          "system property " + setting.propertyName());
    }
    if (agentArgument(agentArgs) != null) {
      given.add(RawValue.override(Settings.CONFIG_FILE.key(), file, "agent argument " + AGENT_ARGUMENT));
    }
    ConfigResult result = fromValues(given);
    problems.addAll(result.problems());
    return new ConfigResult(result.config(), problems);
  }

  /** Where the YAML file is, from the agent argument, {@code -Dmemtrace.config} or the env. */
  static String configFile(String agentArgs, Map<String, String> env, Properties props) {
    String fromArgs = agentArgument(agentArgs);
    if (fromArgs != null) {
      return fromArgs;
    }
    String prop = props.getProperty(Settings.CONFIG_FILE.propertyName());
    if (prop != null && !prop.trim().isEmpty()) {
      return prop.trim();
    }
    String fromEnv = env.get(Settings.CONFIG_FILE.environmentName());
    return fromEnv == null || fromEnv.trim().isEmpty() ? null : fromEnv.trim();
  }

  private static String agentArgument(String agentArgs) {
    if (agentArgs != null) {
      for (String part : agentArgs.split(",")) {
        String trimmed = part.trim();
        if (trimmed.startsWith(AGENT_ARGUMENT)) {
          return trimmed.substring(AGENT_ARGUMENT.length());
        }
      }
    }
    return null;
  }

  /** An empty variable counts as not set, as in the OpenTelemetry SDK. */
  private static void addIfSet(List<RawValue> given, Setting<?> setting, String value, String origin) {
    if (value != null && !value.trim().isEmpty()) {
      given.add(RawValue.override(setting.key(), value, origin));
    }
  }

  /** Validates {@code given} (later entries win) against the declarations. */
  static ConfigResult fromValues(List<RawValue> given) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, RawValue> effective = new LinkedHashMap<>();
    for (RawValue raw : given) {
      if (raw.fromFile && Settings.inFile(raw.key) == null) {
        problems.add(new ConfigProblem(raw.key, raw.origin,
            "is not a memtrace setting (known: " + Settings.fileKeysNear(raw.key) + ")"));
      } else {
        effective.put(raw.key, raw);
      }
    }
    Map<Setting<?>, Object> values = new IdentityHashMap<>();
    for (Setting<?> setting : Settings.all()) {
      if (!setting.isSection()) {
        values.put(setting, value(setting, effective.get(setting.key()), values, problems));
      }
    }
    List<MethodRule> rules = new ArrayList<>();
    String spanPrefix = (String) values.get(Settings.SPAN_PREFIX);
    for (Setting<?> section : List.of(Settings.MEMORY_MANAGERS, Settings.TASKS)) {
      RawValue raw = effective.get(section.key());
      if (raw == null) {
        continue;
      }
      int line = raw.origin.lastIndexOf(" line ");
      MethodRulesParser parser = new MethodRulesParser(spanPrefix,
          line < 0 ? raw.origin : raw.origin.substring(0, line));
      if (section == Settings.MEMORY_MANAGERS) {
        parser.parseMemoryManagers((Node) raw.value);
      } else {
        parser.parseTasks((Node) raw.value);
      }
      rules.addAll(parser.rules());
      problems.addAll(parser.problems());
    }
    return new ConfigResult(new MemtraceConfig(values, rules), problems);
  }

  /** The validated value of one setting; a bad value is reported and replaced. */
  @SuppressWarnings("unchecked")
  private static Object value(Setting<?> setting, RawValue raw, Map<Setting<?>, Object> values,
      List<ConfigProblem> problems) {
    Object fallback = setting.inherits() != null ? values.get(setting.inherits()) : defaultOf(setting);
    if (raw == null) {
      return fallback;
    }
    try {
      return raw.value instanceof List ? setting.type().parseList((List<String>) raw.value)
          : setting.type().parse((String) raw.value);
    } catch (BadValue e) {
      Object used = e.usable() != null ? e.usable() : fallback;
      String message = e.getMessage();
      if (setting.onProblem() == ConfigProblem.Effect.FALLBACK) {
        message += "; using " + (e.usable() != null ? shown(used)
            : setting.inherits() != null ? "the value of " + setting.inherits().environmentName()
            : setting.defaultText() == null ? "none" : "the default " + setting.defaultText());
      }
      problems.add(new ConfigProblem(setting.key(), raw.origin, message, setting.onProblem()));
      return used;
    }
  }

  /** A replacement as a user reads it: an empty list is "none". */
  private static String shown(Object value) {
    return value instanceof java.util.Collection && ((java.util.Collection<?>) value).isEmpty() ? "none"
        : String.valueOf(value);
  }

  private static Object defaultOf(Setting<?> setting) {
    if (setting.defaultText() == null) {
      return null;
    }
    try {
      return setting.type().parse(setting.defaultText());
    } catch (BadValue e) {
      throw new IllegalStateException("the default of " + setting.key() + " " + e.getMessage(), e);
    }
  }
}
