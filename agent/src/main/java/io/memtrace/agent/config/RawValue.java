package io.memtrace.agent.config;

import java.util.List;

/** A value as read from the file, the environment or a system property, before validation. */
final class RawValue {

  final String key;
  /** A {@code String}, a {@code List<String>} for a YAML sequence, or the YAML node of a rule section. */
  final Object value;
  /** Where it was set, for messages: {@code memtrace.yaml line 3}, {@code environment variable MEMTRACE_RING_SIZE}. */
  final String origin;
  /** True when read from the YAML file, where only keys declared for the file may appear. */
  final boolean fromFile;
  /** The environment variable or system property it was read from; {@code null} for the file or the agent argument. */
  final String name;
  /** True when read from the memtrace-only twin of a standard OpenTelemetry setting. */
  final boolean twin;

  /** A value from the YAML file. */
  RawValue(String key, Object value, String origin) {
    this(key, value, origin, true, null, false);
  }

  /** A value from the environment, a system property or the agent argument. */
  static RawValue override(String key, String value, String origin) {
    return new RawValue(key, value, origin, false, null, false);
  }

  /**
   * A value of the environment variable or system property {@code name}; {@code twin} when that is
   * the memtrace-only form ({@code MEMTRACE_EXPORTER_OTLP_ENDPOINT}) of an OpenTelemetry setting.
   */
  static RawValue variable(String key, String value, String name, boolean environment, boolean twin) {
    return new RawValue(key, value, (environment ? "environment variable " : "system property ") + name,
        false, name, twin);
  }

  private RawValue(String key, Object value, String origin, boolean fromFile, String name, boolean twin) {
    this.key = key;
    this.fromFile = fromFile;
    this.name = name;
    this.twin = twin;
    this.value = value instanceof List ? List.copyOf((List<?>) value) : value;
    this.origin = origin;
  }
}
