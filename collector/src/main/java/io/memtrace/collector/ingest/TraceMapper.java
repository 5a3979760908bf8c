package io.memtrace.collector.ingest;

import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an export request into store rows, checking every span first: one bad span rejects the
 * whole request, so a sender never has to guess which part of a batch was kept.
 */
public final class TraceMapper {

  private static final HexFormat HEX = HexFormat.of();

  private TraceMapper() {
  }

  public static List<SpanRow> map(ExportTraceServiceRequest request) throws PayloadException {
    List<SpanRow> rows = new ArrayList<>();
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      ResourceSpans rs = request.getResourceSpans(r);
      Map<String, Object> resource = AttributeValues.toMap(rs.getResource().getAttributesList());
      String service = resource.get("service.name") instanceof String
          ? (String) resource.get("service.name") : "unknown_service";
      String resourceJson = AttributeValues.toJson(resource);
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        ScopeSpans ss = rs.getScopeSpans(s);
        for (int i = 0; i < ss.getSpansCount(); i++) {
          row(ss.getSpans(i), new Where(r, s, i), service, ss.getScope().getName(), resourceJson, rows);
        }
      }
    }
    return ValueEvents.takeOut(rows);
  }

  /** A span's place in the request, spelled out only for an error message: valid spans never pay for the text. */
  private record Where(int resource, int scope, int span) {
    @Override
    public String toString() {
      return "resourceSpans[" + resource + "].scopeSpans[" + scope + "].spans[" + span + "]";
    }
  }

  /** Adds the span to {@code rows}; a carrier of key events as the spans of its events ({@link KeyEventSpans}). */
  private static void row(Span span, Where where, String service, String scope, String resourceJson, List<SpanRow> rows)
      throws PayloadException {
    String traceId = id(span.getTraceId(), 16, where, ".traceId");
    String spanId = id(span.getSpanId(), 8, where, ".spanId");
    String parent = span.getParentSpanId().isEmpty() ? null : id(span.getParentSpanId(), 8, where, ".parentSpanId");
    if (span.getStartTimeUnixNano() == 0) {
      throw PayloadException.bad(where + ": startTimeUnixNano is missing");
    }
    long start = UnixNanos.check(span.getStartTimeUnixNano(), where, ".startTimeUnixNano");
    // an end before the start (clock skew, or none sent) is stored as a span of no duration
    long end = Math.max(UnixNanos.check(span.getEndTimeUnixNano(), where, ".endTimeUnixNano"), start);
    if (KeyEventSpans.carrier(span.getName())) {
      KeyEventSpans.expand(service, scope, resourceJson, span.getEventsList(), where, rows);
      return;
    }
    Map<String, Object> attributes = AttributeValues.toMap(span.getAttributesList());
    StatementKeys.derive(attributes, scope);
    rows.add(new SpanRow(traceId, spanId, parent, span.getTraceState(), span.getName(), kind(span.getKind()),
        start, end, status(span.getStatus().getCode()), span.getStatus().getMessage(), service, scope,
        attributes, AttributeValues.toJson(attributes), events(span.getEventsList(), where), resourceJson,
        links(span.getLinksList())));
  }

  private static String id(ByteString bytes, int length, Where where, String field) throws PayloadException {
    if (bytes.size() != length) {
      throw PayloadException.bad(where + field + " has " + bytes.size() + " bytes; OTLP requires " + length);
    }
    byte[] raw = bytes.toByteArray();
    boolean zero = true;
    for (byte b : raw) {
      zero &= b == 0;
    }
    if (zero) {
      throw PayloadException.bad(where + field + " is all zeroes, which OTLP defines as invalid");
    }
    return HEX.formatHex(raw);
  }

  /** The events as JSON text; {@code where} names the span in an error message. */
  static String events(List<Span.Event> events, Object where) throws PayloadException {
    if (events.isEmpty()) {
      return "[]";
    }
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < events.size(); i++) {
      Span.Event event = events.get(i);
      if (i > 0) {
        out.append(',');
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", event.getName());
      e.put("time_unix_nano", UnixNanos.check(event.getTimeUnixNano(), where, ".events[" + i + "].timeUnixNano"));
      e.put("attributes", attributes(event.getAttributesList()));
      AttributeValues.write(out, e);
    }
    return out.append(']').toString();
  }

  /**
   * The links as JSON text, ids in hex as the span's own, or null when there are none: {@code [{"trace_id": ...,
   * "span_id": ..., "trace_state": ..., "attributes": {...}}]}. A link whose ids are not OTLP ids (wrong length, all
   * zeroes) points at no span and is left out; the span itself is kept.
   */
  static String links(List<Span.Link> links) {
    StringBuilder out = new StringBuilder("[");
    for (Span.Link link : links) {
      String traceId = linkId(link.getTraceId(), 16);
      String spanId = linkId(link.getSpanId(), 8);
      if (traceId == null || spanId == null) {
        continue;
      }
      if (out.length() > 1) {
        out.append(',');
      }
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("trace_id", traceId);
      l.put("span_id", spanId);
      l.put("trace_state", link.getTraceState());
      l.put("attributes", attributes(link.getAttributesList()));
      AttributeValues.write(out, l);
    }
    return out.length() == 1 ? null : out.append(']').toString();
  }

  private static String linkId(ByteString bytes, int length) {
    if (bytes.size() != length) {
      return null;
    }
    byte[] raw = bytes.toByteArray();
    for (byte b : raw) {
      if (b != 0) {
        return HEX.formatHex(raw);
      }
    }
    return null;
  }

  private static Map<String, Object> attributes(List<KeyValue> list) {
    return AttributeValues.toMap(list);
  }

  static String kind(Span.SpanKind kind) {
    switch (kind) {
      case SPAN_KIND_INTERNAL: return "INTERNAL";
      case SPAN_KIND_SERVER: return "SERVER";
      case SPAN_KIND_CLIENT: return "CLIENT";
      case SPAN_KIND_PRODUCER: return "PRODUCER";
      case SPAN_KIND_CONSUMER: return "CONSUMER";
      default: return "UNSPECIFIED";
    }
  }

  static String status(Status.StatusCode code) {
    switch (code) {
      case STATUS_CODE_OK: return "OK";
      case STATUS_CODE_ERROR: return "ERROR";
      default: return "UNSET";
    }
  }
}
