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
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads every declared setting ({@link Settings}, {@link OtelSettings}) from, in rising
 * precedence: its default (or the setting it inherits), the YAML file, the environment variable
 * and the system property. A standard OpenTelemetry setting has a memtrace-only twin above both:
 * {@code -Dmemtrace.exporter.otlp.endpoint}, then {@code MEMTRACE_EXPORTER_OTLP_ENDPOINT}, then
 * {@code -Dotel.exporter.otlp.endpoint}, then {@code OTEL_EXPORTER_OTLP_ENDPOINT}, then the default.
 * The twins form a layer of their own: a per-signal setting given only in the OpenTelemetry form
 * ({@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) gives way to a twin of its general setting
 * ({@code MEMTRACE_EXPORTER_OTLP_ENDPOINT}), since whoever wrote the twin meant memtrace to go
 * somewhere other than the OpenTelemetry agent. Validation never throws: every problem is collected
 * with the name that was actually used, where it was set and what it switches off.
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
      addIfSet(given, setting, env::get, setting.environmentName(), true, false);
      addIfSet(given, setting, props::getProperty, setting.propertyName(), false, false);
      if (setting.twinEnvironmentName() != null) {
        addIfSet(given, setting, env::get, setting.twinEnvironmentName(), true, true);
        addIfSet(given, setting, props::getProperty, setting.twinPropertyName(), false, true);
      }
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
  private static void addIfSet(List<RawValue> given, Setting<?> setting, Function<String, String> source,
      String name, boolean environment, boolean twin) {
    String value = source.apply(name);
    if (value != null && !value.trim().isEmpty()) {
      given.add(RawValue.variable(setting.key(), value, name, environment, twin));
    }
  }

  /** Validates {@code given} (later entries win) against the declarations. */
  static ConfigResult fromValues(List<RawValue> given) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, RawValue> effective = new LinkedHashMap<>();
    for (RawValue raw : given) {
      if (raw.fromFile && Settings.inFile(raw.key) == null) {
        Setting<?> twin = Settings.withTwinProperty("memtrace." + raw.key);
        problems.add(new ConfigProblem(raw.key, raw.origin, twin != null
            ? "is not a key of the file: give it as " + twin.twinEnvironmentName() + " or -D"
                + twin.twinPropertyName()
            : "is not a memtrace setting (known: " + Settings.fileKeysNear(raw.key) + ")"));
      } else {
        effective.put(raw.key, raw);
      }
    }
    Map<Setting<?>, Object> values = new IdentityHashMap<>();
    Map<Setting<?>, RawValue> sources = new IdentityHashMap<>();
    for (Setting<?> setting : Settings.all()) {
      if (!setting.isSection()) {
        RawValue raw = effective.get(setting.key());
        RawValue general = setting.inherits() == null ? null : sources.get(setting.inherits());
        if (general != null && (raw == null || general.twin && !raw.twin)) {
          raw = null; // inherited: a twin of the general setting outranks the OpenTelemetry per-signal form
          sources.put(setting, general);
        } else if (raw != null) {
          sources.put(setting, raw);
        }
        values.put(setting, value(setting, raw, values, sources, problems));
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
    return new ConfigResult(new MemtraceConfig(values, sources, rules), problems);
  }

  /** The validated value of one setting; a bad value is reported and replaced. */
  @SuppressWarnings("unchecked")
  private static Object value(Setting<?> setting, RawValue raw, Map<Setting<?>, Object> values,
      Map<Setting<?>, RawValue> sources, List<ConfigProblem> problems) {
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
            : setting.inherits() != null ? "the value of " + inheritedName(setting, sources)
            : setting.defaultText() == null ? "none" : "the default " + setting.defaultText());
      }
      // named as the user wrote it: a bad MEMTRACE_EXPORTER_OTLP_TIMEOUT is reported as memtrace.exporter.otlp.timeout
      problems.add(new ConfigProblem(raw.twin ? setting.twinPropertyName() : setting.key(), raw.origin,
          message, setting.onProblem()));
      return used;
    }
  }

  /** The variable that gave the inherited value, or the general setting's variable when it was not given. */
  private static String inheritedName(Setting<?> setting, Map<Setting<?>, RawValue> sources) {
    RawValue general = sources.get(setting.inherits());
    return general != null && general.name != null ? general.name : setting.inherits().environmentName();
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
