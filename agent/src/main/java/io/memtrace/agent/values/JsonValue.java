package io.memtrace.agent.values;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A memory-manager value written as compact JSON, walked as the {@code json} value size measures it (records and
 * plain objects by their fields, maps, collections, arrays; a {@code byte[]} as a base64 string): so the payload's
 * size and {@code memory.value_size} tell the same story. Cycles and depth past {@link #MAX_DEPTH} end as null.
 */
final class JsonValue {

  private static final int MAX_DEPTH = 16;
  private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
    @Override
    protected List<Field> computeValue(Class<?> type) {
      List<Field> out = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic() && f.trySetAccessible()) {
            out.add(f);
          }
        }
      }
      return out;
    }
  };

  private JsonValue() {
  }

  static void write(Object value, ValuePayload out) {
    write(value, out, 0);
  }

  private static void write(Object v, ValuePayload out, int depth) {
    if (v == null || depth > MAX_DEPTH) {
      out.ascii("null");
    } else if (v instanceof CharSequence || v instanceof Character || v instanceof Enum) {
      out.jsonString(v.toString());
    } else if (v instanceof Number || v instanceof Boolean) {
      String text = v.toString();
      boolean finite = !(v instanceof Double || v instanceof Float) || Double.isFinite(((Number) v).doubleValue());
      if (finite) {
        out.ascii(text);
      } else {
        out.jsonString(text);
      }
    } else if (v instanceof byte[]) {
      out.jsonString(java.util.Base64.getEncoder().encodeToString((byte[]) v));
    } else if (v instanceof Map) {
      out.ascii('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        (first ? out : out.ascii(',')).jsonString(String.valueOf(e.getKey())).ascii(':');
        write(e.getValue(), out, depth + 1);
        first = false;
      }
      out.ascii('}');
    } else if (v instanceof Collection || v instanceof Object[]) {
      Collection<?> items = v instanceof Collection ? (Collection<?>) v : Arrays.asList((Object[]) v);
      out.ascii('[');
      boolean first = true;
      for (Object item : items) {
        if (!first) {
          out.ascii(',');
        }
        write(item, out, depth + 1);
        first = false;
      }
      out.ascii(']');
    } else {
      out.ascii('{');
      boolean first = true;
      for (Field f : FIELDS.get(v.getClass())) {
        Object fieldValue;
        try {
          fieldValue = f.get(v);
        } catch (IllegalAccessException e) {
          continue; // a field that may not be read is left out, as the size leaves it out
        }
        (first ? out : out.ascii(',')).jsonString(f.getName()).ascii(':');
        write(fieldValue, out, depth + 1);
        first = false;
      }
      out.ascii('}');
    }
  }
}
