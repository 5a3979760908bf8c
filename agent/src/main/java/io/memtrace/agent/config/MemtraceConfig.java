package io.memtrace.agent.config;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting's validated value, immutable, read by its declaration:
 * {@code config.get(Settings.RING_SIZE)}. Built by {@link ConfigLoader}; what each setting means,
 * its default and its range are on its declaration in {@link Settings} or {@link OtelSettings}.
 */
public final class MemtraceConfig {

  private final Map<Setting<?>, Object> values;
  private final Map<Setting<?>, RawValue> sources;
  private final List<MethodRule> methodRules;

  MemtraceConfig(Map<Setting<?>, Object> values, Map<Setting<?>, RawValue> sources,
      List<MethodRule> methodRules) {
    this.values = Collections.unmodifiableMap(new IdentityHashMap<>(values));
    this.sources = Collections.unmodifiableMap(new IdentityHashMap<>(sources));
    this.methodRules = List.copyOf(methodRules);
  }

  /** The configuration with every default. */
  public static MemtraceConfig defaults() {
    return ConfigLoader.fromValues(List.of()).config();
  }

  /**
   * The value of {@code setting}: as given, else inherited, else its default; {@code null} only
   * for a setting without a default that was not given (such as {@code MEMTRACE_TRACES_FILE}).
   *
   * @throws IllegalArgumentException for a rule section or a setting not in {@link Settings#all()}
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    if (!values.containsKey(setting)) {
      // a declaration missing from Settings.all() would otherwise read as "not given"
      throw new IllegalArgumentException(setting + " is not a registered value setting");
    }
    return (T) values.get(setting);
  }

  /**
   * The environment variable or system property the value of {@code setting} was read from (for a
   * per-signal setting given only through its general one, that one's), so messages name what the
   * user wrote; {@code null} when it is the default or came from the YAML file.
   */
  public String givenAs(Setting<?> setting) {
    RawValue raw = sources.get(setting);
    return raw == null ? null : raw.name;
  }

  /** Whether {@code setting} was given anywhere (file, environment, system property), rather than left to its default. */
  public boolean given(Setting<?> setting) {
    return sources.containsKey(setting);
  }

  /**
   * Whether the value of {@code setting} came from a memtrace-only twin ({@code MEMTRACE_SERVICE_NAME},
   * {@code -Dmemtrace.exporter.otlp.endpoint}) rather than from the OpenTelemetry form both agents read.
   */
  public boolean givenForMemtraceOnly(Setting<?> setting) {
    RawValue raw = sources.get(setting);
    return raw != null && raw.twin;
  }

  /** The valid {@code memory-managers} and {@code tasks} rules, in file order. */
  public List<MethodRule> methodRules() {
    return methodRules;
  }
}
