package io.memtrace.collector.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP attribute values as plain Java values, and as the JSON text the store converts to
 * {@code VARIANT}. Integers are written without a decimal point and doubles always with one, so
 * each keeps its type in DuckDB: a duration of 15 sorts above 4, and 7.5 stays a DOUBLE.
 */
public final class AttributeValues {

  private AttributeValues() {
  }

  public static Map<String, Object> toMap(List<KeyValue> attributes) {
    Map<String, Object> map = new LinkedHashMap<>(attributes.size() * 2);
    for (KeyValue kv : attributes) {
      map.put(kv.getKey(), toJava(kv.getValue()));
    }
    return map;
  }

  static Object toJava(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE: return value.getStringValue();
      case BOOL_VALUE: return value.getBoolValue();
      case INT_VALUE: return value.getIntValue();
      case DOUBLE_VALUE: return value.getDoubleValue();
      case BYTES_VALUE: return Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      case ARRAY_VALUE:
        List<Object> list = new ArrayList<>(value.getArrayValue().getValuesCount());
        for (AnyValue v : value.getArrayValue().getValuesList()) {
          list.add(toJava(v));
        }
        return list;
      case KVLIST_VALUE: return toMap(value.getKvlistValue().getValuesList());
      default: return null;
    }
  }

  public static String toJson(Map<String, Object> map) {
    StringBuilder out = new StringBuilder(32 + map.size() * 32);
    writeObject(out, map);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      writeString(out, (String) value);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Double) {
      double d = (Double) value;
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        writeString(out, Double.toString(d));
      } else {
        out.append(d);
      }
    } else if (value instanceof Map) {
      writeObject(out, (Map<String, Object>) value);
    } else if (value instanceof List) {
      out.append('[');
      boolean first = true;
      for (Object item : (List<Object>) value) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(out, item);
      }
      out.append(']');
    } else {
      writeString(out, value.toString());
    }
  }

  private static void writeObject(StringBuilder out, Map<String, Object> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(out, e.getKey());
      out.append(':');
      write(out, e.getValue());
    }
    out.append('}');
  }

  /** {@code s} as a JSON string, quoted; a lone surrogate becomes U+FFFD, which DuckDB's JSON reader accepts. */
  public static void writeString(StringBuilder out, String s) {
    out.append('"');
    if (plain(s)) {
      // most text needs no escape: one copy, not a check and an append per character
      out.append(s).append('"');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isSurrogate(c) && !validSurrogate(s, i)) {
            // ingest has repaired text already (ValidText); escaping a lone surrogate instead would
            // give JSON that DuckDB's reader refuses, and with it every query over the row
            out.append(ValidText.REPLACEMENT);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /** Whether {@code s} has nothing that {@link #writeString} escapes or replaces. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the surrogate at {@code i} is half of a pair. */
  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
