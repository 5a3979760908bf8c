package io.memtrace.collector.snapshots;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.common.Glob;
import io.memtrace.common.NamespaceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Namespace globs ({@code *} any run of characters, as memtrace's other globs): which Redis keys a scheduled snapshot
 * takes and which a rebuild covers. A key is in when the namespace the rule derives from it matches one glob; a key
 * without a namespace only under {@code *}.
 */
public final class NamespaceGlobs {

  private final List<String> globs;
  private final List<Pattern> patterns;
  private final NamespaceRule rule;

  private NamespaceGlobs(List<String> globs, NamespaceRule rule) {
    this.globs = List.copyOf(globs);
    this.patterns = globs.stream().map(Glob::compile).toList();
    this.rule = rule;
  }

  /** {@code text} as {@code GLOB[,GLOB...]}; a clear error naming {@code option} when it holds none. */
  public static NamespaceGlobs parse(String option, String text, NamespaceRule rule) {
    List<String> globs = new ArrayList<>();
    for (String part : text == null ? new String[0] : text.split(",")) {
      if (!part.isBlank()) {
        globs.add(part.strip());
      }
    }
    if (globs.isEmpty()) {
      throw new CollectorException(option + " names no namespace glob; give one or more, e.g. 'notes,session:*' "
          + "or '*' for every key");
    }
    return new NamespaceGlobs(globs, rule);
  }

  public List<String> globs() {
    return globs;
  }

  /** Whether a namespace is covered; null (a key with no namespace) only by {@code *}. */
  public boolean matches(String namespace) {
    for (int i = 0; i < patterns.size(); i++) {
      if (namespace == null ? globs.get(i).equals("*") : patterns.get(i).matcher(namespace).matches()) {
        return true;
      }
    }
    return false;
  }

  /** The namespace of a Redis key, by the rule. */
  public String namespaceOf(byte[] key) {
    return rule.namespace(SnapshotEntry.keyText(key));
  }

  /** Whether a Redis key is covered. */
  public boolean wantsKey(byte[] key) {
    return matches(namespaceOf(key));
  }

  @Override
  public String toString() {
    return String.join(",", globs);
  }
}
