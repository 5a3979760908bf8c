package io.memtrace.collector.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * otel_traces rows as the clickhouseexporter writes them (string attribute values, hex ids, the span's start as
 * Timestamp and its length in nanoseconds), as JSONEachRow lines for clickhouse-java's insert.
 */
final class SpanRows {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StringBuilder lines = new StringBuilder();
  private int spans;
  private int parent;

  /** A span of {@code service} at {@code second} past 10:00 on 2026-11-26, in trace {@code trace}. */
  SpanRows add(String service, String scope, String trace, int second, String name, String kind,
      Map<String, String> attributes) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("Timestamp", String.format("2026-11-26 10:%02d:%02d.000000123", second / 60, second % 60));
    row.put("TraceId", String.format("%032x", trace.hashCode() & 0xffffffffL));
    row.put("SpanId", String.format("%016x", ++spans));
    row.put("ParentSpanId", parent == 0 ? "" : String.format("%016x", parent));
    parent = 0;
    row.put("TraceState", "");
    row.put("SpanName", name);
    row.put("SpanKind", kind);
    row.put("ServiceName", service);
    row.put("ResourceAttributes", Map.of("service.name", service));
    row.put("ScopeName", scope);
    row.put("ScopeVersion", "0.1.0");
    row.put("SpanAttributes", attributes);
    row.put("Duration", 250_000L);
    row.put("StatusCode", attributes.containsKey("error") ? "Error" : "Unset");
    row.put("StatusMessage", "");
    row.put("Events.Timestamp", List.of());
    row.put("Events.Name", List.of());
    row.put("Events.Attributes", new ArrayList<>());
    row.put("Links.TraceId", List.of());
    row.put("Links.SpanId", List.of());
    row.put("Links.TraceState", List.of());
    row.put("Links.Attributes", new ArrayList<>());
    try {
      lines.append(JSON.writeValueAsString(row)).append('\n');
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /** The next span added is a child of the {@code span}-th span added (from 1). */
  SpanRows under(int span) {
    parent = span;
    return this;
  }

  /** The spans added so far. */
  int size() {
    return spans;
  }

  byte[] bytes() {
    return lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Attributes from pairs. */
  static Map<String, String> attrs(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
