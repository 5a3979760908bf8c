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

  /** A value from the YAML file. */
  RawValue(String key, Object value, String origin) {
    this(key, value, origin, true);
  }

  /** A value from the environment, a system property or the agent argument. */
  static RawValue override(String key, String value, String origin) {
    return new RawValue(key, value, origin, false);
  }

  private RawValue(String key, Object value, String origin, boolean fromFile) {
    this.key = key;
    this.fromFile = fromFile;
    this.value = value instanceof List ? List.copyOf((List<?>) value) : value;
    this.origin = origin;
  }
}
