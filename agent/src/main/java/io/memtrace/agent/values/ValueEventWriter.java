package io.memtrace.agent.values;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.EventData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes one {@code memory.value} event: the payload from a command's data arguments as its {@link ValueWrite} lays
 * them out, in base64 when any of them is not UTF-8, cut at the cap. One per factory, on the consumer thread.
 */
final class ValueEventWriter {

  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private final ValuePayload payload;

  ValueEventWriter(int maxBytes) {
    this.payload = new ValuePayload(maxBytes);
  }

  /** The event of arguments {@code from} (inclusive) to {@code to} written to {@code key}. */
  EventData event(ValueWrite write, List<byte[]> args, int from, int to, long epochNanos, String key,
      String namespace) {
    boolean scores = write.layout == ValueWrite.Layout.SCORES;
    boolean utf8 = true;
    for (int i = from; i < to && utf8; i++) {
      utf8 = scores && (i - from) % 2 == 0 || ValuePayload.isUtf8(args.get(i));
    }
    payload.start(!utf8);
    switch (write.layout) {
      case TEXT:
      case PAIRS:
        payload.text(args.get(from));
        break;
      case ARRAY:
        payload.ascii('[');
        for (int i = from; i < to; i++) {
          (i > from ? payload.ascii(',') : payload).jsonString(args.get(i));
        }
        payload.ascii(']');
        break;
      case OBJECT:
        payload.ascii('{');
        for (int i = from; i + 1 < to; i += 2) {
          (i > from ? payload.ascii(',') : payload).jsonString(args.get(i)).ascii(':').jsonString(args.get(i + 1));
        }
        payload.ascii('}');
        break;
      case SCORES:
        payload.ascii('{');
        for (int i = from; i + 1 < to; i += 2) {
          (i > from ? payload.ascii(',') : payload).jsonString(args.get(i + 1)).ascii(':');
          score(args.get(i));
        }
        payload.ascii('}');
        break;
      default:
        throw new IllegalStateException(write.layout.name());
    }
    return finish(epochNanos, key, namespace, write.change, write.type);
  }

  /** A memory-manager value written whole: a String or byte[] as {@code string}, anything else as JSON. */
  EventData object(Object value, long epochNanos, String key, String namespace) {
    String type;
    if (value instanceof CharSequence) {
      payload.start(false).text(value.toString().getBytes(StandardCharsets.UTF_8));
      type = "string";
    } else if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      payload.start(!ValuePayload.isUtf8(bytes)).text(bytes);
      type = "string";
    } else {
      payload.start(false);
      JsonValue.write(value, payload);
      type = "object";
    }
    return finish(epochNanos, key, namespace, "replace", type);
  }

  private void score(byte[] score) {
    String text = new String(score, StandardCharsets.US_ASCII);
    if (JSON_NUMBER.matcher(text).matches()) {
      payload.ascii(text);
      return;
    }
    try {
      double d = Double.parseDouble(text);
      if (!Double.isInfinite(d) && !Double.isNaN(d)) {
        payload.ascii(Double.toString(d));
        return;
      }
    } catch (NumberFormatException e) {
      // Redis's own spellings of infinity below
    }
    payload.jsonString(text.toLowerCase(java.util.Locale.ROOT).startsWith("-") ? "-inf" : "inf");
  }

  private EventData finish(long epochNanos, String key, String namespace, String change, String type) {
    AttributesBuilder attrs = Attributes.builder().put(MEMORY_KEY, key);
    if (namespace != null) {
      attrs.put(MEMORY_NAMESPACE, namespace);
    }
    attrs.put(MEMORY_VALUE_CHANGE, change)
        .put(MEMORY_VALUE_TYPE, type)
        .put(MEMORY_VALUE, payload.text())
        .put(MEMORY_VALUE_ENCODING, payload.base64() ? "base64" : "utf8")
        .put(MEMORY_VALUE_PAYLOAD_SIZE, payload.size());
    if (payload.truncated()) {
      attrs.put(MEMORY_VALUE_TRUNCATED, true);
    }
    return EventData.create(epochNanos, MEMORY_VALUE_EVENT, attrs.build());
  }
}
