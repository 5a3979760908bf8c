package io.memtrace.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.store.SpanRow;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes the {@code memory.value} events (the values the agent captured, see {@code ISSUE51.md}'s wire table) out of
 * each span's events, so that {@code spans.events} never holds a value, and hands them over as {@link CapturedValue}s
 * for the {@code key_value} table. Every decoding path (protobuf, OTLP/JSON, {@code import}, the ingest log read
 * back) ends here, so the rule is written once.
 *
 * <p>A value event without a key or with a change the collector does not know is dropped, never the span: it is
 * counted ({@link #malformed()}, in {@code /api/status}) and said on stderr, at most once a minute.
 */
public final class ValueEvents {

  /** The span event's name, and the payload attribute's. */
  public static final String EVENT = "memory.value";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong MALFORMED = new AtomicLong();
  private static final AtomicLong WARNED_AT = new AtomicLong();

  private ValueEvents() {
  }

  /** Value events dropped because they were malformed, since the process started. */
  public static long malformed() {
    return MALFORMED.get();
  }

  /** The rows with their value events taken out; the list itself when no row had any. */
  static List<SpanRow> takeOut(List<SpanRow> rows) {
    List<SpanRow> out = null;
    for (int i = 0; i < rows.size(); i++) {
      SpanRow row = rows.get(i);
      // the cheap test first: nearly every span has no value event
      if (row.eventsJson() == null || !row.eventsJson().contains("\"" + EVENT + "\"")) {
        continue;
      }
      SpanRow split = split(row);
      if (split != row) {
        if (out == null) {
          out = new ArrayList<>(rows);
        }
        out.set(i, split);
      }
    }
    return out == null ? rows : out;
  }

  private static SpanRow split(SpanRow row) {
    JsonNode events;
    try {
      events = JSON.readTree(row.eventsJson());
    } catch (IOException e) {
      return row; // the store's own JSON text: cannot happen, and the row is stored as it came
    }
    if (!events.isArray()) {
      return row;
    }
    ArrayNode kept = JSON.createArrayNode();
    List<CapturedValue> values = new ArrayList<>();
    int seq = 0;
    for (JsonNode event : events) {
      if (!EVENT.equals(event.path("name").asText(null))) {
        kept.add(event);
        continue;
      }
      try {
        values.add(value(row, event, seq));
      } catch (CollectorException e) {
        dropped(row, e.getMessage());
      }
      seq++;
    }
    if (seq == 0) {
      return row;
    }
    return row.withValues(kept.toString(), List.copyOf(values));
  }

  private static CapturedValue value(SpanRow row, JsonNode event, int seq) {
    JsonNode a = event.path("attributes");
    String key = text(a, "memory.key");
    if (key == null || key.isEmpty()) {
      throw new CollectorException("it has no memory.key");
    }
    String changeText = text(a, "memory.value.change");
    if (changeText == null) {
      throw new CollectorException("it has no memory.value.change");
    }
    ValueChange change = ValueChange.fromWire(changeText);
    JsonNode payload = a.get(EVENT);
    if (payload == null || payload.isNull()) {
      throw new CollectorException("it has no memory.value");
    }
    String value = payload.isTextual() ? payload.textValue() : payload.toString();
    JsonNode size = a.get("memory.value.size");
    long bytes = size != null && size.canConvertToLong() ? size.asLong()
        : value.getBytes(StandardCharsets.UTF_8).length;
    long nanos = event.path("time_unix_nano").asLong(row.endNanos());
    return new CapturedValue(row.traceId(), row.spanId(), seq, Instant.ofEpochSecond(0, nanos), row.serviceName(),
        SpanOrigin.redis(row), SpanOrigin.database(row), SpanOrigin.namespace(row, a, key), key,
        SpanOrigin.operation(row), change, orEmpty(text(a, "memory.value.type")),
        "base64".equals(text(a, "memory.value.encoding")), value, bytes, a.path("memory.value.truncated").asBoolean());
  }

  private static void dropped(SpanRow row, String why) {
    long count = MALFORMED.incrementAndGet();
    long now = System.currentTimeMillis();
    long last = WARNED_AT.get();
    if (now - last >= 60_000 && WARNED_AT.compareAndSet(last, now)) {
      Log.warn("a memory.value event of span " + row.spanId() + " in trace " + row.traceId() + " was dropped: " + why
          + " (the span is kept; " + count + " value events dropped so far, values_malformed in /api/status)");
    }
  }

  static String text(JsonNode attributes, String name) {
    JsonNode v = attributes.get(name);
    return v == null || v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
