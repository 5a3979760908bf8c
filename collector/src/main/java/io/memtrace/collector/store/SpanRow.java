package io.memtrace.collector.store;

import java.util.Map;

/**
 * One span as the store keeps it: ids in lower-case hex, times in Unix nanoseconds, and the
 * attributes both as typed Java values (for in-process analytics) and as OTLP-typed JSON text.
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
    String resourceJson) {

  public double durationMillis() {
    return (endNanos - startNanos) / 1_000_000.0;
  }

  public Object attribute(String key) {
    return attributes.get(key);
  }
}
