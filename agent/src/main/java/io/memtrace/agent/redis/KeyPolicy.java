package io.memtrace.agent.redis;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.Settings;
import io.memtrace.common.Glob;
import io.memtrace.common.NamespaceRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a key may appear on a span: as written, as a stable hash when it matches a redact glob, or
 * not at all when key capture is off; and which namespace it belongs to.
 */
public final class KeyPolicy {

  private final boolean captureKeys;
  private final Pattern redact;
  private final NamespaceRule namespaceRule;

  public KeyPolicy(boolean captureKeys, List<String> redactGlobs, Pattern namespaceRule) {
    this.captureKeys = captureKeys;
    this.redact = redactGlobs.isEmpty() ? null : Glob.compileAny(redactGlobs);
    this.namespaceRule = NamespaceRule.of(namespaceRule);
  }

  public static KeyPolicy from(MemtraceConfig config) {
    return new KeyPolicy(config.get(Settings.CAPTURE_KEYS), config.get(Settings.CAPTURE_REDACT_KEYS),
        config.get(Settings.REDIS_NAMESPACE_FROM_KEY));
  }

  public boolean captureKeys() {
    return captureKeys;
  }

  /** The key as it may be shown, or {@code null} when keys are not captured. */
  public String display(String key) {
    if (!captureKeys) {
      return null;
    }
    if (redact != null && redact.matcher(key).matches()) {
      return "redacted:" + sha256Prefix(key);
    }
    return key;
  }

  /** Whether {@code key} matches a {@code capture.redact-keys} glob: it is shown only as a hash, never with a value. */
  public boolean isRedacted(String key) {
    return redact != null && redact.matcher(key).matches();
  }

  /** True when {@link #display} shows every key as it is: keys captured and none redacted. */
  public boolean showsKeysAsIs() {
    return captureKeys && redact == null;
  }

  /** See {@link NamespaceRule#namespaceLength}. */
  public int namespaceLength(byte[] key) {
    return namespaceRule.namespaceLength(key);
  }

  /** The key's namespace by the configured rule ({@link NamespaceRule#namespace}), or {@code null}. */
  public String namespace(String key) {
    return namespaceRule.namespace(key);
  }

  private static String sha256Prefix(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(16);
      for (int i = 0; i < 8; i++) {
        hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
