package io.memtrace.collector.ingest;

import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.store.KeyEventRows;
import io.memtrace.collector.store.SpanRow;
import io.memtrace.common.KeyEventLines;
import io.opentelemetry.proto.trace.v1.Span;
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
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
  private static final AtomicLong MALFORMED = new AtomicLong();

  private KeyEventSpans() {
  }

  /** Key events left out because they lacked ids or a key, since the process started. */
  public static long malformed() {
    return MALFORMED.get();
  }

  /** Whether a span of this name is a carrier, which {@link #expand} stores as the spans of its events instead. */
  static boolean carrier(String name) {
    return CARRIER.equals(name);
  }

  /**
   * Adds to {@code out} the spans the events of a carrier stand for, read straight from the events as decoded: the
   * carrier's service, scope and resource attributes go to each. {@code where} names the carrier in an error message.
   *
   * @throws PayloadException an event's time is out of the store's range, as for any span's event
   */
  static void expand(String service, String scope, String resourceJson, List<Span.Event> events, Object where,
      List<SpanRow> out) throws PayloadException {
    Carrier carrier = new Carrier(service, scope, resourceJson);
    for (int i = 0; i < events.size(); i++) {
      Span.Event event = events.get(i);
      long time = UnixNanos.check(event.getTimeUnixNano(), where, ".events[" + i + "].timeUnixNano");
      Map<String, Object> a = AttributeValues.toMap(event.getAttributesList());
      if (a.get(KeyEventLines.ATTRIBUTE) instanceof String text) {
        lines(carrier, a, text, time, out);
        continue;
      }
      if (a.get(KeyEventLines.BATCHES) instanceof String text) {
        batches(carrier, a, text, time, out);
        continue;
      }
      SpanRow span = span(carrier, event.getName(), a, time); // the first form: one event a command (2026-11-29)
      if (span == null) {
        MALFORMED.incrementAndGet();
      } else {
        out.add(span);
      }
    }
  }

  /** What each span of a carrier takes from it. */
  private record Carrier(String serviceName, String scopeName, String resourceJson) {
  }

  /** An event of one connection ({@code a}, its attributes), its commands in {@link KeyEventLines}. */
  private static void lines(Carrier carrier, Map<String, Object> a, String text, long time, List<SpanRow> out) {
    List<KeyEventLines.Line> lines;
    try {
      lines = KeyEventLines.read(text, time);
    } catch (IllegalArgumentException | ArithmeticException e) {
      MALFORMED.incrementAndGet(); // the event's commands cannot be told apart past the fault: all left out
      return;
    }
    Object database = scalar(a.get("db.namespace"));
    Object address = scalar(a.get("server.address"));
    Object port = scalar(a.get("server.port"));
    for (KeyEventLines.Line line : lines) {
      String name = line.name;
      // as a command's span says them, in the order the first form's event had them (its attributes sorted)
      Map<String, Object> attributes = new LinkedHashMap<>(24);
      attributes.put("db.system.name", "redis");
      attributes.put("db.operation.name", name);
      putIfPresent(attributes, "db.namespace", database);
      putIfPresent(attributes, "memory.found", line.found);
      attributes.put("memory.key", line.key);
      putIfPresent(attributes, "memory.namespace", line.namespace);
      putIfPresent(attributes, "memory.result_count", line.resultCount);
      putIfPresent(attributes, "memory.ttl", line.ttl);
      putIfPresent(attributes, "memory.value_size", line.valueSize);
      putIfPresent(attributes, "server.address", address);
      putIfPresent(attributes, "server.port", port);
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
  private static void batches(Carrier carrier, Map<String, Object> a, String text, long time, List<SpanRow> out) {
    List<KeyEventLines.Batch> batches;
    try {
      batches = KeyEventLines.readBatches(text, time);
    } catch (IllegalArgumentException | ArithmeticException e) {
      MALFORMED.incrementAndGet();
      return;
    }
    for (KeyEventLines.Batch batch : batches) {
      KeyEventLines.Line span = batch.span;
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("db.system.name", "redis");
      attributes.put("db.operation.name", span.name);
      putIfPresent(attributes, "db.namespace", scalar(a.get("db.namespace")));
      putIfPresent(attributes, "server.address", scalar(a.get("server.address")));
      putIfPresent(attributes, "server.port", scalar(a.get("server.port")));
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
    if (value != null) {
      attributes.put(key, value);
    }
  }

  /**
   * An event attribute's value as the span it stands for carries it: text, a boolean, a whole number as a long, a
   * double; a NaN or infinite double as its text, and an array or map as its JSON text, as the events' JSON holds them.
   */
  private static Object scalar(Object v) {
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return d.toString();
    }
    if (v instanceof List || v instanceof Map) {
      StringBuilder json = new StringBuilder();
      AttributeValues.write(json, v);
      return json.toString();
    }
    return v;
  }

  private static SpanRow row(Carrier carrier, String traceId, String spanId, String parent, String name, long start,
      long end, Map<String, Object> attributes) {
    return row(carrier, traceId, spanId, parent, name, start, end, attributes, "[]");
  }

  private static SpanRow row(Carrier carrier, String traceId, String spanId, String parent, String name, long start,
      long end, Map<String, Object> attributes, String eventsJson) {
    attributes.put(MARK, true);
    // a row the store keeps narrow is stored without its attributes' JSON text: none is made
    return new SpanRow(traceId, spanId, parent, "", name, "CLIENT", start, end, "UNSET", "",
        carrier.serviceName(), carrier.scopeName(), attributes,
        KeyEventRows.keptNarrow(attributes) ? null : AttributeValues.toJson(attributes), eventsJson,
        carrier.resourceJson(), null);
  }

  /** An event of the first form ({@code a}, its attributes): one command, its ids as attributes; null when malformed. */
  private static SpanRow span(Carrier carrier, String name, Map<String, Object> a, long end) {
    Object traceId = a.get("memtrace.trace_id");
    Object spanId = a.get("memtrace.span_id");
    Object parent = a.get("memtrace.parent_span_id");
    if (!(traceId instanceof String t && TRACE_ID.matcher(t).matches())
        || !(spanId instanceof String s && SPAN_ID.matcher(s).matches()) || name.isEmpty()
        || (parent != null && !(parent instanceof String p && SPAN_ID.matcher(p).matches()))
        || !(a.get("memory.key") instanceof String)) {
      return null;
    }
    long start = Math.max(0, end - Math.max(0, whole(a.get("memtrace.duration_ns"))));
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("db.system.name", "redis");
    attributes.put("db.operation.name", name);
    for (Map.Entry<String, Object> e : a.entrySet()) {
      if (!e.getKey().startsWith("memtrace.")) {
        // a value the event left unset reads as the text null, as the events' JSON gave it
        attributes.put(e.getKey(), e.getValue() == null ? "null" : scalar(e.getValue()));
      }
    }
    return row(carrier, (String) traceId, (String) spanId, (String) parent, name, start, end, attributes);
  }

  /** A duration attribute as a whole number of nanoseconds: 0 when it is none. */
  private static long whole(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return v instanceof Boolean b && b ? 1 : 0;
  }
}
