package io.memtrace.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.store.SpanRow;
import io.memtrace.common.KeyEventLines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Turns the key events of compressed Redis commands (the agent's {@code retention.key-events}; ADR 0004) back into
 * the Redis spans they stand for: each event of a {@code memtrace.key_events} span becomes a CLIENT span with the
 * command's own trace, span and parent ids, times and key attributes, and {@code memtrace.key_event=true}; the
 * carrier itself is not stored. So key events, lineage, timelines, TTL truth and {@code restore --as-of} read a
 * compressed command as they read a kept one, with no store of their own. A pipeline or transaction compressed as a
 * whole becomes the batch span it stands for, with the {@code memtrace.batch.command} events its kept span would
 * carry ({@link KeyEventLines#BATCHES}). Every decoding path (protobuf, OTLP/JSON)
 * ends here. The agent's events each list the commands sent on one connection ({@link KeyEventLines}); an
 * event of the first form (2026-11-29, one command with its ids as attributes) is read as before, so files written
 * then still import. A command without ids or a key, or an event whose lines break the form, is left out and
 * counted ({@link #malformed()}).
 */
public final class KeyEventSpans {

  /** The carrier span's name. */
  public static final String CARRIER = "memtrace.key_events";
  /** On each span made from a key event. */
  public static final String MARK = "memtrace.key_event";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
  private static final AtomicLong MALFORMED = new AtomicLong();

  private KeyEventSpans() {
  }

  /** Key events left out because they lacked ids or a key, since the process started. */
  public static long malformed() {
    return MALFORMED.get();
  }

  /** The rows with each carrier replaced by the spans of its events; the list itself when there is none. */
  static List<SpanRow> expand(List<SpanRow> rows) {
    int first = -1;
    for (int i = 0; i < rows.size() && first < 0; i++) {
      first = CARRIER.equals(rows.get(i).name()) ? i : -1;
    }
    if (first < 0) {
      return rows;
    }
    List<SpanRow> out = new ArrayList<>(rows.subList(0, first));
    for (int i = first; i < rows.size(); i++) {
      SpanRow row = rows.get(i);
      if (CARRIER.equals(row.name())) {
        spans(row, out);
      } else {
        out.add(row);
      }
    }
    return out;
  }

  private static void spans(SpanRow carrier, List<SpanRow> out) {
    JsonNode events;
    try {
      events = JSON.readTree(carrier.eventsJson());
    } catch (IOException e) {
      return; // the decoder's own JSON text: cannot happen
    }
    for (JsonNode event : events) {
      if (event.path("attributes").path(KeyEventLines.ATTRIBUTE).isTextual()) {
        lines(carrier, event, out);
        continue;
      }
      if (event.path("attributes").path(KeyEventLines.BATCHES).isTextual()) {
        batches(carrier, event, out);
        continue;
      }
      SpanRow span = span(carrier, event); // the first form: one event a command (2026-11-29, before the lines)
      if (span == null) {
        MALFORMED.incrementAndGet();
      } else {
        out.add(span);
      }
    }
  }

  /** An event of one connection, its commands in {@link KeyEventLines}. */
  private static void lines(SpanRow carrier, JsonNode event, List<SpanRow> out) {
    JsonNode a = event.path("attributes");
    List<KeyEventLines.Line> lines;
    try {
      lines = KeyEventLines.read(a.path(KeyEventLines.ATTRIBUTE).textValue(), event.path("time_unix_nano").asLong());
    } catch (IllegalArgumentException | ArithmeticException e) {
      MALFORMED.incrementAndGet(); // the event's commands cannot be told apart past the fault: all left out
      return;
    }
    for (KeyEventLines.Line line : lines) {
      String name = line.name;
      // as a command's span says them, in the order the first form's event had them (its attributes sorted)
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("db.system.name", "redis");
      attributes.put("db.operation.name", name);
      putIfPresent(attributes, "db.namespace", a.path("db.namespace"));
      putIfPresent(attributes, "memory.found", line.found);
      attributes.put("memory.key", line.key);
      putIfPresent(attributes, "memory.namespace", line.namespace);
      putIfPresent(attributes, "memory.result_count", line.resultCount);
      putIfPresent(attributes, "memory.ttl", line.ttl);
      putIfPresent(attributes, "memory.value_size", line.valueSize);
      putIfPresent(attributes, "server.address", a.path("server.address"));
      putIfPresent(attributes, "server.port", a.path("server.port"));
      out.add(row(carrier, line.traceId, line.spanId, line.parentSpanId, name,
          Math.max(0, line.end - line.duration), line.end, attributes));
    }
  }

  /**
   * An event of one connection's compressed pipelines and transactions ({@link KeyEventLines#BATCHES}): each is
   * stored as the batch span the agent would have kept, its name ({@code PIPELINE SET}, {@code MULTI}), ids, times
   * and place, with a {@code memtrace.batch.command} event per command that names a key and is not a read, as the
   * kept span lists them; so lineage and the timelines read its commands as a kept batch's.
   */
  private static void batches(SpanRow carrier, JsonNode event, List<SpanRow> out) {
    JsonNode a = event.path("attributes");
    List<KeyEventLines.Batch> batches;
    try {
      batches = KeyEventLines.readBatches(a.path(KeyEventLines.BATCHES).textValue(),
          event.path("time_unix_nano").asLong());
    } catch (IllegalArgumentException | ArithmeticException e) {
      MALFORMED.incrementAndGet();
      return;
    }
    for (KeyEventLines.Batch batch : batches) {
      KeyEventLines.Line span = batch.span;
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("db.system.name", "redis");
      attributes.put("db.operation.name", span.name);
      putIfPresent(attributes, "db.namespace", a.path("db.namespace"));
      putIfPresent(attributes, "server.address", a.path("server.address"));
      putIfPresent(attributes, "server.port", a.path("server.port"));
      StringBuilder events = new StringBuilder("[");
      for (KeyEventLines.Line command : batch.commands) {
        // as the agent's BatchKeyEvents writes them: the command's name and key attributes, at the batch's end
        Map<String, Object> said = new TreeMap<>(command.attributes());
        said.put("db.operation.name", command.name);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", LineageViews.BATCH_COMMAND);
        e.put("time_unix_nano", span.end);
        e.put("attributes", said);
        if (events.length() > 1) {
          events.append(',');
        }
        AttributeValues.write(events, e);
      }
      out.add(row(carrier, span.traceId, span.spanId, span.parentSpanId, span.name,
          Math.max(0, span.end - span.duration), span.end, attributes, events.append(']').toString()));
    }
  }

  private static void putIfPresent(Map<String, Object> attributes, String key, Object value) {
    if (value instanceof JsonNode) {
      JsonNode v = (JsonNode) value;
      value = v.isMissingNode() || v.isNull() ? null : value(v);
    }
    if (value != null) {
      attributes.put(key, value);
    }
  }

  private static Object value(JsonNode v) {
    return v.isTextual() ? v.textValue() : v.isBoolean() ? v.booleanValue()
        : v.isIntegralNumber() ? (Object) v.longValue() : v.isNumber() ? v.doubleValue() : v.toString();
  }

  private static SpanRow row(SpanRow carrier, String traceId, String spanId, String parent, String name, long start,
      long end, Map<String, Object> attributes) {
    return row(carrier, traceId, spanId, parent, name, start, end, attributes, "[]");
  }

  private static SpanRow row(SpanRow carrier, String traceId, String spanId, String parent, String name, long start,
      long end, Map<String, Object> attributes, String eventsJson) {
    attributes.put(MARK, true);
    return new SpanRow(traceId, spanId, parent, "", name, "CLIENT", start, end, "UNSET", "",
        carrier.serviceName(), carrier.scopeName(), attributes, AttributeValues.toJson(attributes), eventsJson,
        carrier.resourceJson(), null);
  }

  private static SpanRow span(SpanRow carrier, JsonNode event) {
    JsonNode a = event.path("attributes");
    String traceId = a.path("memtrace.trace_id").asText("");
    String spanId = a.path("memtrace.span_id").asText("");
    String parent = a.path("memtrace.parent_span_id").asText(null);
    String name = event.path("name").asText("");
    if (!TRACE_ID.matcher(traceId).matches() || !SPAN_ID.matcher(spanId).matches() || name.isEmpty()
        || (parent != null && !SPAN_ID.matcher(parent).matches()) || !a.path("memory.key").isTextual()) {
      return null;
    }
    long end = event.path("time_unix_nano").asLong();
    long start = Math.max(0, end - Math.max(0, a.path("memtrace.duration_ns").asLong()));
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("db.system.name", "redis");
    attributes.put("db.operation.name", name);
    for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().startsWith("memtrace.")) {
        attributes.put(e.getKey(), value(e.getValue()));
      }
    }
    return row(carrier, traceId, spanId, parent, name, start, end, attributes);
  }
}
