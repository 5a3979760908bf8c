package io.memtrace.agent.config;

import java.util.Locale;

/**
 * The one declaration of a setting: its key, where it may be given (YAML file, environment
 * variable, system property), its type with range, its default, what a bad value does and its
 * documentation. {@link ConfigLoader}, {@link MemtraceConfig} and the configuration reference
 * ({@link ConfigurationReference}) are all driven by these declarations, collected in {@link Settings}.
 *
 * @param <T> the type of the validated value
 */
public final class Setting<T> {

  private static final String OTEL_PREFIX = "otel.";
  private static final String TWIN_PREFIX = "memtrace.";

  private final String key;
  private final boolean inFile;
  private final String environmentName;
  private final String propertyName;
  private final String twinEnvironmentName;
  private final String twinPropertyName;
  private final ValueType<T> type;
  private final String defaultText;
  private final Setting<T> inherits;
  private final ConfigProblem.Effect onProblem;
  private final String doc;

  private Setting(String key, boolean inFile, String environmentName, String propertyName,
      String twinEnvironmentName, String twinPropertyName, ValueType<T> type, String defaultText,
      Setting<T> inherits, ConfigProblem.Effect onProblem, String doc) {
    this.key = key;
    this.inFile = inFile;
    this.environmentName = environmentName;
    this.propertyName = propertyName;
    this.twinEnvironmentName = twinEnvironmentName;
    this.twinPropertyName = twinPropertyName;
    this.type = type;
    this.defaultText = defaultText;
    this.inherits = inherits;
    this.onProblem = onProblem;
    this.doc = doc;
  }

  /**
   * One of memtrace's own settings: a YAML key such as {@code ring.size}, also given as
   * {@code MEMTRACE_RING_SIZE} or {@code -Dmemtrace.ring.size}. A bad value switches off Redis
   * tracing for keys of the {@code redis} section, the whole agent for any other.
   *
   * @param defaultText the default as a user would write it, or {@code null} for none
   */
  static <T> Setting<T> file(String key, ValueType<T> type, String defaultText, String doc) {
    String env = "MEMTRACE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    return new Setting<>(key, true, env, "memtrace." + key, null, null, type, defaultText, null,
        ConfigProblem.Effect.ofSection(ConfigProblem.sectionOf(key)), doc);
  }

  /**
   * A setting given only as an environment variable or a system property, such as
   * {@code OTEL_BSP_SCHEDULE_DELAY} / {@code -Dotel.bsp.schedule.delay}. Exporter settings never
   * switch the agent off: a bad value is reported and the default (or the nearest allowed value)
   * is used.
   */
  static <T> Setting<T> variable(String environmentName, String propertyName, ValueType<T> type,
      String defaultText, String doc) {
    return new Setting<>(propertyName, false, environmentName, propertyName, null, null, type,
        defaultText, null, ConfigProblem.Effect.FALLBACK, doc);
  }

  /**
   * A standard OpenTelemetry setting, {@code otel.bsp.schedule.delay} and
   * {@code OTEL_BSP_SCHEDULE_DELAY}, with its memtrace-only twin {@code memtrace.bsp.schedule.delay}
   * and {@code MEMTRACE_BSP_SCHEDULE_DELAY}: the OpenTelemetry agent reads the first pair, never
   * the twin, so the twin lets a user give memtrace its own value beside that agent.
   */
  static <T> Setting<T> otel(String propertyName, ValueType<T> type, String defaultText, String doc) {
    if (!propertyName.startsWith(OTEL_PREFIX)) {
      throw new IllegalArgumentException(propertyName + " is not an otel.* property");
    }
    String rest = propertyName.substring(OTEL_PREFIX.length());
    return new Setting<>(propertyName, false, environmentNameOf(propertyName), propertyName,
        environmentNameOf(TWIN_PREFIX + rest), TWIN_PREFIX + rest, type, defaultText, null,
        ConfigProblem.Effect.FALLBACK, doc);
  }

  /** {@code otel.exporter.otlp.endpoint} as a variable: {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  private static String environmentNameOf(String propertyName) {
    return propertyName.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** A section of rules ({@code memory-managers}, {@code tasks}): YAML only, read by {@link MethodRulesParser}. */
  static Setting<Void> section(String key, String doc) {
    return new Setting<>(key, true, null, null, null, null, ValueTypes.RULE_SECTION, null, null,
        ConfigProblem.Effect.RULE_DROPPED, doc);
  }

  /** A section of the file the agent accepts and leaves to another reader (the collector's {@code memory-state}). */
  static Setting<Void> foreignSection(String key, String doc) {
    return new Setting<>(key, true, null, null, null, null, ValueTypes.FOREIGN_SECTION, null, null,
        ConfigProblem.Effect.RULE_DROPPED, doc);
  }

  /** Whether this is a section (of rules, or for another reader) rather than a value. */
  public boolean isSection() {
    return type == ValueTypes.RULE_SECTION || type == ValueTypes.FOREIGN_SECTION;
  }

  /**
   * This setting, taking the value of {@code general} when it is not given itself, as the
   * per-signal OTLP settings do ({@code OTEL_EXPORTER_OTLP_TRACES_TIMEOUT} falls back to
   * {@code OTEL_EXPORTER_OTLP_TIMEOUT}).
   */
  Setting<T> inheriting(Setting<T> general) {
    return new Setting<>(key, inFile, environmentName, propertyName, twinEnvironmentName,
        twinPropertyName, type, null, general, onProblem, doc);
  }

  /** This setting with another consequence of a bad value. */
  Setting<T> onProblem(ConfigProblem.Effect effect) {
    return new Setting<>(key, inFile, environmentName, propertyName, twinEnvironmentName,
        twinPropertyName, type, defaultText, inherits, effect, doc);
  }

  /** The YAML key (dotted path) for file settings, the system property for the others. */
  public String key() {
    return key;
  }

  /** Whether the setting may be written in the YAML file. */
  public boolean inFile() {
    return inFile;
  }

  /** The environment variable, for example {@code MEMTRACE_RING_SIZE}; {@code null} for a rule section. */
  public String environmentName() {
    return environmentName;
  }

  /** The system property, for example {@code memtrace.ring.size}; {@code null} for a rule section. */
  public String propertyName() {
    return propertyName;
  }

  /**
   * The memtrace-only environment variable of a standard OpenTelemetry setting, for example
   * {@code MEMTRACE_EXPORTER_OTLP_ENDPOINT} for {@code OTEL_EXPORTER_OTLP_ENDPOINT}; {@code null}
   * for memtrace's own settings, which need none.
   */
  public String twinEnvironmentName() {
    return twinEnvironmentName;
  }

  /** The memtrace-only system property, for example {@code memtrace.exporter.otlp.endpoint}; {@code null} when none. */
  public String twinPropertyName() {
    return twinPropertyName;
  }

  public ValueType<T> type() {
    return type;
  }

  /** The default as a user would write it; {@code null} when there is none (or it is inherited). */
  public String defaultText() {
    return defaultText;
  }

  /** The setting whose value is used when this one is not given; {@code null} for most. */
  public Setting<T> inherits() {
    return inherits;
  }

  /** What a bad value of this setting switches off, if anything. */
  public ConfigProblem.Effect onProblem() {
    return onProblem;
  }

  /** One sentence (Markdown) for the configuration reference. */
  public String doc() {
    return doc;
  }

  @Override
  public String toString() {
    return key;
  }
}
