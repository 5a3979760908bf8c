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

  /**
   * The UTF-8 bytes of the text {@code value} carries, for {@code value-size: text}: text and bytes
   * as they are; a collection, array or map (its values) summed over its elements; any other object
   * through the first of {@link TextSize#ACCESSORS} it answers (a chat message's text, a document's,
   * a search result's matches). -1 when no text is found in it at all.
   */
  static long textBytes(Object value) {
    return TextSize.of(value, 0);
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

  /** Walks a value for the text it carries, through the accessors AI-memory libraries name it by. */
  private static final class TextSize {
    /**
     * No-arg methods that give an object's text or the parts holding it: Spring AI's messages and
     * documents ({@code getText}), LangChain4j's messages, segments and contents ({@code text},
     * {@code contents}), search results ({@code embedded}, {@code matches}, {@code getContent}).
     */
    static final String[] ACCESSORS = {"getText", "text", "getContent", "contents", "embedded", "matches"};
    private static final int MAX_DEPTH = 6;
    private static final ClassValue<java.lang.reflect.Method> ACCESSOR = PromptParts.accessor(ACCESSORS);

    static long of(Object v, int depth) {
      if (v == null || depth > MAX_DEPTH) {
        return -1;
      }
      long direct = bytes(v);
      if (direct >= 0) {
        return direct;
      }
      if (v instanceof Map) {
        return sum(((Map<?, ?>) v).values(), depth);
      }
      if (v instanceof Collection) {
        return sum((Collection<?>) v, depth);
      }
      if (v instanceof Object[]) {
        return sum(java.util.Arrays.asList((Object[]) v), depth);
      }
      java.lang.reflect.Method accessor = ACCESSOR.get(v.getClass());
      if (accessor == null) {
        return -1;
      }
      try {
        return of(accessor.invoke(v), depth + 1);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return -1; // a message with no single text, say: it carries none we can read
      }
    }

    private static long sum(Collection<?> items, int depth) {
      long total = 0;
      boolean any = false;
      for (Object item : items) {
        long b = of(item, depth + 1);
        if (b >= 0) {
          total += b;
          any = true;
        }
      }
      return any || items.isEmpty() ? total : -1;
    }
  }
}
