package io.memtrace.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One OTLP/JSON metrics export of the collector's own metrics, as the OpenTelemetry protocol writes it: one resource
 * ({@code service.name} {@value #SERVICE}) and one instrumentation scope, whose {@link #metrics} a caller fills
 * (64-bit integers as strings, attributes typed). The keyspace gauges, the notification counts, the memory health
 * gauges and the cross-tenant reads are each sent upstream and stored through {@code /v1/metrics}'s reader this way.
 */
public final class OtlpJsonMetrics {

  /** The resource's {@code service.name}. */
  public static final String SERVICE = "memtrace-collector";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode metrics;

  /** @param scope the instrumentation scope's name, the package that measures */
  public OtlpJsonMetrics(String scope) {
    ObjectNode rm = root.putArray("resourceMetrics").addObject();
    rm.putObject("resource").putArray("attributes").addObject().put("key", "service.name").putObject("value")
        .put("stringValue", SERVICE);
    ObjectNode sm = rm.putArray("scopeMetrics").addObject();
    sm.putObject("scope").put("name", scope);
    metrics = sm.putArray("metrics");
  }

  /** The scope's metrics, to add to. */
  public ArrayNode metrics() {
    return metrics;
  }

  /** The export as a request body. */
  public byte[] bytes() {
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }
}
