package io.memtrace.agent.redis;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.util.Glob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a key may appear on a span: as written, as a stable hash when it matches a redact glob, or
 * not at all when key capture is off; and which namespace it belongs to.
 */
public final class KeyPolicy {

  private final boolean captureKeys;
  private final Pattern redact;
  private final Pattern namespaceRule;
  private final boolean defaultRule;

  public KeyPolicy(boolean captureKeys, List<String> redactGlobs, Pattern namespaceRule) {
    this.captureKeys = captureKeys;
    this.redact = redactGlobs.isEmpty() ? null : Glob.compileAny(redactGlobs);
    this.namespaceRule = namespaceRule;
    this.defaultRule = namespaceRule.pattern().equals(Settings.DEFAULT_NAMESPACE_RULE);
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

  /** True when {@link #display} shows every key as it is: keys captured and none redacted. */
  public boolean showsKeysAsIs() {
    return captureKeys && redact == null;
  }

  /**
   * {@link #namespace} worked out on a key's bytes, without decoding them: the namespace's length
   * in bytes, or -1 for none. Only the default rule on an ASCII key can be answered this way;
   * otherwise -2, and the caller asks {@link #namespace} with the decoded key.
   */
  public int namespaceLength(byte[] key) {
    if (!defaultRule) {
      return -2;
    }
    int cut = -1;
    for (int i = 0; i < key.length; i++) {
      byte b = key[i];
      if (b < 0) {
        return -2;
      }
      if (b == ':' || b == '/') {
        cut = i;
      }
    }
    return cut <= 0 ? -1 : cut;
  }

  /** Group 1 of the namespace rule on the raw key, or {@code null} when it does not match. */
  public String namespace(String key) {
    if (defaultRule) {
      // the default rule, without a regex: everything before the last ':' or '/'
      int cut = Math.max(key.lastIndexOf(':'), key.lastIndexOf('/'));
      return cut <= 0 ? null : key.substring(0, cut);
    }
    Matcher m = namespaceRule.matcher(key);
    if (m.find() && m.groupCount() >= 1) {
      String ns = m.group(1);
      return ns == null || ns.isEmpty() ? null : ns;
    }
    return null;
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
