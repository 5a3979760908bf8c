package io.memtrace.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.List;

/**
 * The messages of {@code opentelemetry/proto/common/v1/common.proto} that attributes are made of:
 * {@code KeyValue}, {@code AnyValue} and {@code ArrayValue}, their field numbers, and the writing
 * of the SDK's {@link Attributes} (of resources, scopes, events and links) as repeated
 * {@code KeyValue}s. Span attributes, held in a {@code SpanRecord}, are written by
 * {@link RecordAttributeWriter} with the same field numbers.
 */
final class OtlpAttributes {

  // KeyValue
  static final int KEY = 1;
  static final int VALUE = 2;
  // AnyValue
  static final int STRING_VALUE = 1;
  static final int BOOL_VALUE = 2;
  static final int INT_VALUE = 3;
  static final int DOUBLE_VALUE = 4;
  static final int ARRAY_VALUE = 5;
  // ArrayValue
  static final int ARRAY_VALUES = 1;

  private OtlpAttributes() {
  }

  /** SDK attributes (resource, scope, events, links) as repeated KeyValue in {@code field}. */
  static void write(int field, Attributes attributes, ProtoWriter out) {
    attributes.forEach((key, value) -> keyValue(field, key, value, out));
  }

  /**
   * {@code attributes} and a string attribute {@code key} whose value is the first {@code length} bytes of
   * {@code utf8}, in the order of their keys, as the SDK's {@link Attributes} would hold them all.
   */
  static void write(int field, Attributes attributes, String key, byte[] utf8, int length, ProtoWriter out) {
    boolean[] written = {false};
    attributes.forEach((k, value) -> {
      if (!written[0] && k.getKey().compareTo(key) > 0) {
        utf8KeyValue(field, key, utf8, length, out);
        written[0] = true;
      }
      keyValue(field, k, value, out);
    });
    if (!written[0]) {
      utf8KeyValue(field, key, utf8, length, out);
    }
  }

  private static void keyValue(int field, AttributeKey<?> key, Object value, ProtoWriter out) {
    int kv = out.begin(field);
    out.stringField(KEY, key.getKey());
    int v = out.begin(VALUE);
    anyValue(key, value, out);
    out.end(v);
    out.end(kv);
  }

  private static void utf8KeyValue(int field, String key, byte[] utf8, int length, ProtoWriter out) {
    int kv = out.begin(field);
    out.stringField(KEY, key);
    int v = out.begin(VALUE);
    out.utf8Field(STRING_VALUE, utf8, length);
    out.end(v);
    out.end(kv);
  }

  private static void anyValue(AttributeKey<?> key, Object value, ProtoWriter out) {
    switch (key.getType()) {
      case STRING_ARRAY:
      case LONG_ARRAY:
      case DOUBLE_ARRAY:
      case BOOLEAN_ARRAY:
        int array = out.begin(ARRAY_VALUE);
        for (Object item : (List<?>) value) {
          int v = out.begin(ARRAY_VALUES);
          scalar(item, out);
          out.end(v);
        }
        out.end(array);
        break;
      default:
        scalar(value, out);
    }
  }

  private static void scalar(Object value, ProtoWriter out) {
    if (value instanceof Boolean) {
      out.tag(BOOL_VALUE, ProtoWriter.VARINT);
      out.varint((Boolean) value ? 1 : 0);
    } else if (value instanceof Long || value instanceof Integer) {
      out.tag(INT_VALUE, ProtoWriter.VARINT);
      out.varint(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      out.tag(DOUBLE_VALUE, ProtoWriter.FIXED64);
      out.fixed64(Double.doubleToRawLongBits(((Number) value).doubleValue()));
    } else {
      out.stringField(STRING_VALUE, String.valueOf(value));
    }
  }
}
