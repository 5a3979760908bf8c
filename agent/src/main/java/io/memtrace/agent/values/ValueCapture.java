package io.memtrace.agent.values;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.config.ValueScope;
import io.memtrace.agent.redis.KeyPolicy;

/**
 * Whose values may leave the process, and how large: {@code capture.values} (a {@link ValueScope}) under the key
 * policy ({@code capture.keys}, {@code capture.redact-keys}) and {@code capture.value-max-bytes}. Immutable.
 */
public final class ValueCapture {

  /** No value leaves the process (the default). */
  public static final ValueCapture NONE = new ValueCapture(ValueScope.none(), null, 16);

  private final ValueScope scope;
  private final KeyPolicy keys;
  private final int maxBytes;

  public ValueCapture(ValueScope scope, KeyPolicy keys, int maxBytes) {
    this.scope = scope;
    this.keys = keys;
    this.maxBytes = maxBytes;
  }

  public static ValueCapture from(MemtraceConfig config, KeyPolicy keys) {
    return new ValueCapture(config.get(Settings.CAPTURE_VALUES), keys, config.get(Settings.CAPTURE_VALUE_MAX_BYTES));
  }

  /** No value leaves the process, whatever the key. */
  public boolean isOff() {
    return scope.isOff();
  }

  public ValueScope scope() {
    return scope;
  }

  int maxBytes() {
    return maxBytes;
  }

  /**
   * Whether a memory search's query may show as {@code gen_ai.memory.query.text} (opt-in, like values) for
   * {@code key} in {@code namespace}: always with {@code true} (its meaning before scopes), else for a key the scope
   * matches that is not redacted. A Redis command's {@code db.query.text} never shows a value, whatever this says.
   */
  public boolean showsInText(String key, String namespace) {
    return scope.isAll() || !scope.isOff() && scope.matches(key, namespace) && (key == null || !keys.isRedacted(key));
  }

  /**
   * Whether a write of {@code key} gets a {@code memory.value} event: keys are captured, this one is not redacted,
   * and the scope matches it or its namespace.
   */
  public boolean captures(String key) {
    return captures(key, null);
  }

  /** {@link #captures(String)} of a key whose namespace is given ({@code null}: by the namespace rule). */
  public boolean captures(String key, String namespace) {
    return !scope.isOff() && key != null && keys.captureKeys() && !keys.isRedacted(key)
        && scope.matches(key, scope.isAll() || namespace != null ? namespace : keys.namespace(key));
  }

  /** The namespace of {@code key} by the configured rule, or {@code null}. */
  String namespaceOf(String key) {
    return keys.namespace(key);
  }
}
