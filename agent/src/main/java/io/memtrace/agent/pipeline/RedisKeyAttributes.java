package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.MEMORY_FOUND;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_KEY;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_NAMESPACE;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_RESULT_COUNT;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_TTL;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_VALUE_SIZE;

import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.redis.RedisReply;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.util.Utf8Text;

/**
 * What a Redis command's span and its key event both say of its key, written in one place so that the two say the
 * same (ADR 0004): {@code memory.key} (as shown under the redaction rules), {@code memory.namespace}, the value bytes,
 * whether found, how many keys a DEL removed, and the TTL set. A kept span gets them as attributes ({@link #put},
 * {@link #putTtl}), and so does the key event of a compressed command whose key is not shown as its bytes; any other
 * key event takes them straight into its line, through the same rules ({@link #prefix}, {@link #removed}). Consumer
 * thread only, for {@link RedisSpanFactory}.
 */
final class RedisKeyAttributes {

  /** How a key is shown (as it is, or redacted). */
  private final KeyPolicy keys;

  RedisKeyAttributes(KeyPolicy keys) {
    this.keys = keys;
  }

  /**
   * Writes what a command's span says of its key: {@code memory.key} and {@code memory.namespace}, straight from the
   * key's bytes when they can be shown as they are ({@link Utf8Text} says why), decoded for a redacted or non-ASCII
   * key; the value bytes, whether found, and how many keys a DEL removed. The TTL set follows ({@link #putTtl}).
   */
  void put(SpanRecord attrs, SpanEvent event, RedisCommandInfo command, byte[] key, int namespaceLength,
      String namespace, long size, Boolean found) {
    if (key != null) {
      if (keys.showsKeysAsIs() && Utf8Text.isAscii(key, key.length)) {
        attrs.putUtf8(MEMORY_KEY, key, key.length);
      } else {
        String shown = command.firstKeyShown(keys);
        if (shown != null) {
          attrs.put(MEMORY_KEY, shown);
        }
      }
      if (namespaceLength > 0) {
        attrs.putUtf8(MEMORY_NAMESPACE, key, namespaceLength);
      } else if (namespace != null) {
        attrs.put(MEMORY_NAMESPACE, namespace);
      }
    }
    if (size >= 0) {
      attrs.put(MEMORY_VALUE_SIZE, size);
    }
    if (found != null) {
      attrs.put(MEMORY_FOUND, found);
    }
    // how many keys a DEL or UNLINK removed, its reply: 0 (a key already gone) changed nothing, which lineage and
    // the timelines must not take for a delete; not memory.found, which the hit rate counts for reads
    long removed = removed(event, command);
    if (removed >= 0) {
      attrs.put(MEMORY_RESULT_COUNT, removed);
    }
  }

  /** The TTL the command set, after its other key attributes (and a kept span's fingerprint). */
  static void putTtl(SpanRecord attrs, RedisCommandInfo command) {
    long ttl = command.ttlSeconds();
    if (ttl >= 0) {
      attrs.put(MEMORY_TTL, ttl);
    }
  }

  /**
   * The length of {@code namespace} when it is the first characters of {@code key} (read as ASCII), else -2; -1 when
   * there is none. A namespace the configured rule found on the decoded key.
   */
  static int prefix(byte[] key, String namespace) {
    if (namespace == null) {
      return -1;
    }
    int n = namespace.length();
    if (n > key.length) {
      return -2;
    }
    for (int i = 0; i < n; i++) {
      if (namespace.charAt(i) != key[i]) {
        return -2;
      }
    }
    return n;
  }

  /** How many keys a DEL or UNLINK removed, its reply; -1 for any other command, or one that failed. */
  static long removed(SpanEvent event, RedisCommandInfo command) {
    return event.error == null && command.isCountedDelete() ? RedisReply.count(event.reply) : -1;
  }
}
