package io.memtrace.agent.pipeline;

import io.memtrace.agent.span.SpanRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * What the values a rule's expressions read from the application's objects say as span attributes: a
 * {@code found} as a boolean, {@code results} and {@code items} as counts, a {@code ttl} in seconds, any
 * other attribute as a typed value. Consumer thread; it never throws for an unexpected type.
 */
final class RuleValues {

  private RuleValues() {
  }

  /** {@code v} as the attribute {@code key}: a boolean, a whole or a real number, else its text. */
  static void put(SpanRecord attrs, String key, Object v) {
    if (v instanceof Boolean) {
      attrs.put(key, (Boolean) v);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      attrs.put(key, ((Number) v).longValue());
    } else if (v instanceof Number) {
      attrs.put(key, ((Number) v).doubleValue());
    } else {
      attrs.put(key, String.valueOf(v));
    }
  }

  /**
   * What a {@code found} expression's value says: a boolean itself, a number whether it is not zero,
   * a collection, map or array whether it is not empty (a conversation with no messages was not
   * found), anything else present.
   */
  static Boolean toBoolean(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue() != 0;
    }
    if (v instanceof Collection) {
      return !((Collection<?>) v).isEmpty();
    }
    if (v instanceof Map) {
      return !((Map<?, ?>) v).isEmpty();
    }
    if (v.getClass().isArray()) {
      return java.lang.reflect.Array.getLength(v) > 0;
    }
    return Boolean.TRUE;
  }

  /** A count: a number, the size of a collection, map or array, or a rule's constant; -1 when none. */
  static long toCount(Object v) {
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    if (v instanceof Collection) {
      return ((Collection<?>) v).size();
    }
    if (v instanceof Map) {
      return ((Map<?, ?>) v).size();
    }
    if (v instanceof CharSequence) {
      try {
        return Long.parseLong(v.toString().trim()); // a rule's constant, such as memory.item_count: 1
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return v instanceof Object[] ? ((Object[]) v).length : -1;
  }

  /** Seconds of a {@code Duration}, or a number taken as seconds; -1 when none. */
  static long toSeconds(Object v) {
    if (v instanceof Duration) {
      return ((Duration) v).getSeconds();
    }
    return v instanceof Number ? ((Number) v).longValue() : -1;
  }
}
