package io.memtrace.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a Redis key's namespace is derived ({@code redis.namespace-from-key}): group 1 of the first
 * match of a regular expression on the key, or no namespace when it does not match or group 1 is
 * empty. The agent puts it on spans as {@code memory.namespace}; the collector's keyspace watcher
 * groups Redis's own keys by it, so both must derive the same namespace from the same key.
 */
public final class NamespaceRule {

  /** The config-file key of the rule. */
  public static final String KEY = "redis.namespace-from-key";

  /** The default: everything before the last {@code :} or {@code /}. */
  public static final String DEFAULT = "^(.*)[:/][^:/]*$";

  private static final NamespaceRule DEFAULT_RULE = new NamespaceRule(Pattern.compile(DEFAULT));

  private final Pattern pattern;
  private final boolean isDefault;

  private NamespaceRule(Pattern pattern) {
    this.pattern = pattern;
    this.isDefault = pattern.pattern().equals(DEFAULT) && pattern.flags() == 0;
  }

  /** The rule memtrace applies when the config file names none. */
  public static NamespaceRule defaultRule() {
    return DEFAULT_RULE;
  }

  /** A rule from an already compiled pattern; it must have a capturing group ({@link #parse} checks). */
  public static NamespaceRule of(Pattern pattern) {
    return pattern.pattern().equals(DEFAULT) && pattern.flags() == 0 ? DEFAULT_RULE : new NamespaceRule(pattern);
  }

  /**
   * Compiles {@code regex}, or throws with the reason phrased to follow the key's name
   * ("is not a valid regular expression: ...", "must have a capturing group ...").
   */
  public static NamespaceRule parse(String regex) {
    return of(compile(regex));
  }

  /** {@code regex} compiled and checked for a capturing group; the message of a failure follows the key's name. */
  public static Pattern compile(String regex) {
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("is not a valid regular expression: " + e.getDescription() + " in '"
          + regex + "'", e);
    }
    if (pattern.matcher("").groupCount() < 1) {
      throw new IllegalArgumentException("must have a capturing group for the namespace, got '" + regex + "'");
    }
    return pattern;
  }

  public Pattern pattern() {
    return pattern;
  }

  /** The namespace of {@code key}, or {@code null} when it has none. */
  public String namespace(String key) {
    if (isDefault) {
      // the default rule without a regex, the same answer (NamespaceRuleTest holds them together):
      // before the last ':' or '/', unless a line terminator comes first, which '.' does not match
      int cut = Math.max(key.lastIndexOf(':'), key.lastIndexOf('/'));
      if (cut <= 0) {
        return null;
      }
      for (int i = 0; i < cut; i++) {
        if (isLineTerminator(key.charAt(i))) {
          return null;
        }
      }
      return key.substring(0, cut);
    }
    Matcher m = pattern.matcher(key);
    if (m.find() && m.groupCount() >= 1) {
      String ns = m.group(1);
      return ns == null || ns.isEmpty() ? null : ns;
    }
    return null;
  }

  /**
   * {@link #namespace} worked out on a key's bytes, without decoding them: the namespace's length
   * in bytes, or -1 for none. Only the default rule on an ASCII key can be answered this way;
   * otherwise -2, and the caller asks {@link #namespace} with the decoded key.
   */
  public int namespaceLength(byte[] key) {
    if (!isDefault) {
      return -2;
    }
    int cut = -1;
    int firstTerminator = -1;
    for (int i = 0; i < key.length; i++) {
      byte b = key[i];
      if (b < 0) {
        return -2;
      }
      if (b == ':' || b == '/') {
        cut = i;
      } else if ((b == '\n' || b == '\r') && firstTerminator < 0) {
        firstTerminator = i;
      }
    }
    return cut <= 0 || firstTerminator >= 0 && firstTerminator < cut ? -1 : cut;
  }

  /** What {@code .} does not match without {@code DOTALL}. */
  private static boolean isLineTerminator(char c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  @Override
  public String toString() {
    return pattern.pattern();
  }
}
