package io.memtrace.agent.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every key memtrace understands, its kind and its default, in one place. The environment name of
 * a key is {@code MEMTRACE_} plus the key in upper case with dots and dashes as underscores
 * ({@code redis.enabled} is {@code MEMTRACE_REDIS_ENABLED}); the system property is {@code memtrace.}
 * plus the key.
 */
final class ConfigSchema {

  enum Kind { STRING, BOOLEAN, INTEGER, LIST, REGEX }

  static final Map<String, Kind> KEYS = new LinkedHashMap<>();
  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    define("span-prefix", Kind.STRING, "memory");
    define("capture.keys", Kind.BOOLEAN, "true");
    define("capture.values", Kind.BOOLEAN, "false");
    define("capture.redact-keys", Kind.LIST, "");
    define("capture.value-size", Kind.STRING, "auto");
    define("redis.enabled", Kind.BOOLEAN, "true");
    define("redis.namespace-from-key", Kind.REGEX, "^(.*)[:/][^:/]*$");
    // 8192 slots: a quarter second of events at 30k commands/s, 8 ms at the consumer's full speed
    // (about 1M spans/s); a bigger default ring is megabytes of slots that G1 copies through the
    // first young collections, and the overhead run showed that pushing G1 into growing the heap
    define("ring.size", Kind.INTEGER, "8192");
    define("shutdown.timeout-ms", Kind.INTEGER, "5000");
  }

  /** Sections whose value is a structure of its own, read by the instrumentation they configure. */
  private static final Set<String> STRUCTURED = Set.of("memory-managers", "tasks");

  private ConfigSchema() {
  }

  private static void define(String key, Kind kind, String defaultValue) {
    KEYS.put(key, kind);
    DEFAULTS.put(key, defaultValue);
  }

  static boolean isStructured(String key) {
    return STRUCTURED.contains(key);
  }

  static String environmentName(String key) {
    return "MEMTRACE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static String propertyName(String key) {
    return "memtrace." + key;
  }

  /** Keys of the same section, to suggest when a key is unknown. */
  static String knownKeysNear(String key) {
    int dot = key.indexOf('.');
    String section = dot < 0 ? "" : key.substring(0, dot + 1);
    StringBuilder known = new StringBuilder();
    for (String k : KEYS.keySet()) {
      if (section.isEmpty() || k.startsWith(section)) {
        if (known.length() > 0) {
          known.append(", ");
        }
        known.append(k);
      }
    }
    return known.toString();
  }
}
