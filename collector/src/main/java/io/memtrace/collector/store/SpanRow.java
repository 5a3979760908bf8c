package io.memtrace.collector.store;

import io.memtrace.collector.values.CapturedValue;
import java.util.List;
import java.util.Map;

/**
 * One span as the store keeps it: ids in lower-case hex, times in Unix nanoseconds, and the
 * attributes both as typed Java values (for in-process analytics) and as OTLP-typed JSON text ({@code attributesJson}
 * null for a compact key event the store keeps narrow, which it never writes as text: {@link KeyEventRows#keptNarrow}).
 * {@code linksJson} holds the span's OTLP links as a JSON array ({@code trace_id}, {@code span_id},
 * {@code trace_state}, {@code attributes}), or null when it has none. {@code values} are the span's
 * {@code memory.value} events, taken out of {@code eventsJson} at ingest and stored apart ({@code key_value}).
 */
public record SpanRow(
    String traceId,
    String spanId,
    String parentSpanId,
    String traceState,
    String name,
    String kind,
    long startNanos,
    long endNanos,
    String statusCode,
    String statusMessage,
    String serviceName,
    String scopeName,
    Map<String, Object> attributes,
    String attributesJson,
    String eventsJson,
    String resourceJson,
    String linksJson,
    List<CapturedValue> values) {

  /** A span without captured values. */
  public SpanRow(String traceId, String spanId, String parentSpanId, String traceState, String name, String kind,
      long startNanos, long endNanos, String statusCode, String statusMessage, String serviceName, String scopeName,
      Map<String, Object> attributes, String attributesJson, String eventsJson, String resourceJson, String linksJson) {
    this(traceId, spanId, parentSpanId, traceState, name, kind, startNanos, endNanos, statusCode, statusMessage,
        serviceName, scopeName, attributes, attributesJson, eventsJson, resourceJson, linksJson, List.of());
  }

  /** A span without links. */
  public SpanRow(String traceId, String spanId, String parentSpanId, String traceState, String name, String kind,
      long startNanos, long endNanos, String statusCode, String statusMessage, String serviceName, String scopeName,
      Map<String, Object> attributes, String attributesJson, String eventsJson, String resourceJson) {
    this(traceId, spanId, parentSpanId, traceState, name, kind, startNanos, endNanos, statusCode, statusMessage,
        serviceName, scopeName, attributes, attributesJson, eventsJson, resourceJson, null, List.of());
  }

  /** This span with {@code events} as its events and {@code captured} as its values. */
  public SpanRow withValues(String events, List<CapturedValue> captured) {
    return new SpanRow(traceId, spanId, parentSpanId, traceState, name, kind, startNanos, endNanos, statusCode,
        statusMessage, serviceName, scopeName, attributes, attributesJson, events, resourceJson, linksJson, captured);
  }

  public double durationMillis() {
    return (endNanos - startNanos) / 1_000_000.0;
  }

  public Object attribute(String key) {
    return attributes.get(key);
  }
}
