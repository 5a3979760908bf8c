package io.memtrace.agent.config;

import java.util.List;

/** A raw value as read from the file, the environment or a system property, before validation. */
final class Setting {

  final String key;
  /** A {@code String}, or a {@code List<String>} for list keys. */
  final Object value;
  /** Where it was set, for messages: {@code memtrace.yaml line 3}, {@code env MEMTRACE_RING_SIZE}. */
  final String origin;

  Setting(String key, Object value, String origin) {
    this.key = key;
    this.value = value instanceof List ? List.copyOf((List<?>) value) : value;
    this.origin = origin;
  }
}
