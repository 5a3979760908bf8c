package io.memtrace.agent.export;

import static io.memtrace.agent.export.OtlpAttributes.BOOL_VALUE;
import static io.memtrace.agent.export.OtlpAttributes.DOUBLE_VALUE;
import static io.memtrace.agent.export.OtlpAttributes.INT_VALUE;
import static io.memtrace.agent.export.OtlpAttributes.KEY;
import static io.memtrace.agent.export.OtlpAttributes.STRING_VALUE;
import static io.memtrace.agent.export.OtlpAttributes.VALUE;

import io.memtrace.agent.span.AttributeSlots;
import io.memtrace.agent.span.SpanRecord;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A {@link SpanRecord}'s attributes as repeated OTLP {@code KeyValue}s, straight from its
 * {@link AttributeSlots} (numbers unboxed, UTF-8 values copied as they are). Span attributes use a few constant key strings over
 * and over, so each key is encoded once (tag, length and UTF-8 bytes) and kept by String identity. Used by one
 * {@link OtlpTraceEncoder}, on the consumer thread only.
 */
final class RecordAttributeWriter {

  private static final int KEYS_LIMIT = 4096;

  private final Map<String, byte[]> keys = new IdentityHashMap<>();

  /** Writes the attributes of {@code r} as repeated {@code field}. */
  void write(int field, SpanRecord record, ProtoWriter out) {
    AttributeSlots r = record.slots();
    for (int i = 0, n = r.count(); i < n; i++) {
      int kv = out.begin(field);
      key(r.key(i), out);
      int value = out.begin(VALUE);
      switch (r.type(i)) {
        case AttributeSlots.LONG:
          out.tag(INT_VALUE, ProtoWriter.VARINT);
          out.varint(r.longValue(i));
          break;
        case AttributeSlots.DOUBLE:
          out.tag(DOUBLE_VALUE, ProtoWriter.FIXED64);
          out.fixed64(Double.doubleToRawLongBits(r.doubleValue(i)));
          break;
        case AttributeSlots.BOOLEAN:
          out.tag(BOOL_VALUE, ProtoWriter.VARINT);
          out.varint(r.booleanValue(i) ? 1 : 0);
          break;
        case AttributeSlots.UTF8:
          out.utf8Field(STRING_VALUE, r.utf8Bytes(i), r.utf8Length(i));
          break;
        default:
          out.stringField(STRING_VALUE, r.stringValue(i));
      }
      out.end(value);
      out.end(kv);
    }
  }

  private void key(String key, ProtoWriter out) {
    byte[] encoded = keys.get(key);
    if (encoded == null) {
      ProtoWriter one = new ProtoWriter(key.length() + 8);
      one.stringField(KEY, key);
      encoded = Arrays.copyOf(one.array(), one.size());
      if (keys.size() < KEYS_LIMIT) {
        keys.put(key, encoded);
      }
    }
    out.raw(encoded, 0, encoded.length);
  }
}
