package io.memtrace.agent.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * memtrace's own settings, validated and immutable. Built by {@link ConfigLoader}; every field has
 * a safe default (see {@link ConfigSchema}).
 */
public final class MemtraceConfig {

  private final String spanPrefix;
  private final boolean captureKeys;
  private final boolean captureValues;
  private final List<String> redactKeys;
  private final boolean redisEnabled;
  private final Pattern namespaceFromKey;
  private final int ringSize;
  private final long shutdownTimeoutMillis;
  private final List<MethodRule> methodRules;
  private final boolean valueSizeJson;

  MemtraceConfig(String spanPrefix, boolean captureKeys, boolean captureValues,
      List<String> redactKeys, boolean redisEnabled, Pattern namespaceFromKey, int ringSize,
      long shutdownTimeoutMillis, List<MethodRule> methodRules, boolean valueSizeJson) {
    this.spanPrefix = spanPrefix;
    this.captureKeys = captureKeys;
    this.captureValues = captureValues;
    this.redactKeys = List.copyOf(redactKeys);
    this.redisEnabled = redisEnabled;
    this.namespaceFromKey = namespaceFromKey;
    this.ringSize = ringSize;
    this.shutdownTimeoutMillis = shutdownTimeoutMillis;
    this.methodRules = List.copyOf(methodRules);
    this.valueSizeJson = valueSizeJson;
  }

  /** The configuration with every default. */
  public static MemtraceConfig defaults() {
    return ConfigLoader.fromSettings(List.of()).config();
  }

  /** First part of memory-manager span names: {@code aqe} gives {@code aqe.memory.store}. */
  public String spanPrefix() {
    return spanPrefix;
  }

  /** Whether keys appear on spans ({@code memory.key}, keys in {@code db.query.text}). */
  public boolean captureKeys() {
    return captureKeys;
  }

  /** Whether values appear on spans; off unless asked, sizes are always recorded. */
  public boolean captureValues() {
    return captureValues;
  }

  /** Globs of keys replaced by a stable hash wherever a key would appear. */
  public List<String> redactKeys() {
    return redactKeys;
  }

  /** Whether Jedis commands are traced. */
  public boolean redisEnabled() {
    return redisEnabled;
  }

  /** Derives {@code memory.namespace} from a Redis key: group 1 of the first match. */
  public Pattern namespaceFromKey() {
    return namespaceFromKey;
  }

  /** Slots in the ring between application threads and the consumer; a power of two. */
  public int ringSize() {
    return ringSize;
  }

  /** How long the shutdown hook may spend draining the ring and flushing exporters. */
  public long shutdownTimeoutMillis() {
    return shutdownTimeoutMillis;
  }

  /** The valid {@code memory-managers} and {@code tasks} rules, in file order. */
  public List<MethodRule> methodRules() {
    return methodRules;
  }

  /**
   * {@code capture.value-size: json}: measure values without a known size by writing them as JSON
   * on the application thread. Costly; off by default ({@code auto}).
   */
  public boolean valueSizeJson() {
    return valueSizeJson;
  }
}
