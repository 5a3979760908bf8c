package io.memtrace.agent.pipeline;

import io.memtrace.agent.util.Utf8Text;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

/** What memtrace can say about a value's size without serializing it. */
final class ValueSize {

  /** Not measurable directly: use the bytes of nested Redis commands. */
  static final long UNKNOWN = -1;

  private ValueSize() {
  }

  /** Bytes of a {@code byte[]}, a {@code String} (UTF-8), a {@code CharSequence} or a {@code ByteBuffer}. */
  static long bytes(Object value) {
    if (value instanceof byte[]) {
      return ((byte[]) value).length;
    }
    if (value instanceof String) {
      return Utf8Text.encodedLength((String) value);
    }
    if (value instanceof CharSequence) {
      return Utf8Text.encodedLength(value.toString());
    }
    if (value instanceof ByteBuffer) {
      return ((ByteBuffer) value).remaining();
    }
    return UNKNOWN;
  }

  /** Elements of a collection, map or array, or -1. */
  static long items(Object value) {
    if (value instanceof Collection) {
      return ((Collection<?>) value).size();
    }
    if (value instanceof Map) {
      return ((Map<?, ?>) value).size();
    }
    if (value instanceof Object[]) {
      return ((Object[]) value).length;
    }
    return -1;
  }

  static long jsonBytes(Object value) {
    return JsonSize.of(value);
  }

  /** Sizes a value as compact JSON would be, by walking records, getters, fields, maps and collections. */
  private static final class JsonSize {
    private static final int MAX_DEPTH = 16;

    static long of(Object value) {
      return size(value, 0);
    }

    private static long size(Object v, int depth) {
      if (v == null) {
        return 4;
      }
      if (depth > MAX_DEPTH) {
        return 0;
      }
      if (v instanceof CharSequence || v instanceof Character || v instanceof Enum) {
        return Utf8Text.encodedLength(v.toString()) + 2;
      }
      if (v instanceof Number || v instanceof Boolean) {
        return v.toString().length();
      }
      if (v instanceof byte[]) {
        return (((byte[]) v).length + 2) / 3 * 4 + 2; // base64 in a string
      }
      if (v instanceof Map) {
        long n = 2;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          n += Utf8Text.encodedLength(String.valueOf(e.getKey())) + 3 + size(e.getValue(), depth + 1) + 1;
        }
        return n;
      }
      if (v instanceof Collection || v instanceof Object[]) {
        long n = 2;
        Iterable<?> items = v instanceof Collection ? (Collection<?>) v : java.util.Arrays.asList((Object[]) v);
        for (Object item : items) {
          n += size(item, depth + 1) + 1;
        }
        return n;
      }
      long n = 2;
      for (java.lang.reflect.Field f : fields(v.getClass())) {
        try {
          n += f.getName().length() + 3 + size(f.get(v), depth + 1) + 1;
        } catch (IllegalAccessException e) {
          // a field we may not read counts as absent
        }
      }
      return n;
    }

    private static java.util.List<java.lang.reflect.Field> fields(Class<?> type) {
      java.util.List<java.lang.reflect.Field> out = new java.util.ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (java.lang.reflect.Field f : c.getDeclaredFields()) {
          if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) && !f.isSynthetic() && f.trySetAccessible()) {
            out.add(f);
          }
        }
      }
      return out;
    }
  }
}
