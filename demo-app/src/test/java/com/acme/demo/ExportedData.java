package com.acme.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Spans and metrics read back from the agent's OTLP-JSON files. */
final class ExportedData {

  record Span(String name, String traceId, String spanId, String parentSpanId, int status,
      long start, long end, Map<String, Object> attributes, List<String> events) {
  }

  static List<Span> spans(Path file) throws IOException {
    List<Span> out = new ArrayList<>();
    for (JsonNode line : lines(file)) {
      for (JsonNode rs : line.path("resourceSpans")) {
        for (JsonNode ss : rs.path("scopeSpans")) {
          for (JsonNode s : ss.path("spans")) {
            List<String> events = new ArrayList<>();
            s.path("events").forEach(e -> events.add(e.path("name").asText()));
            out.add(new Span(s.path("name").asText(), s.path("traceId").asText(), s.path("spanId").asText(),
                s.path("parentSpanId").asText(""), s.path("status").path("code").asInt(0),
                s.path("startTimeUnixNano").asLong(), s.path("endTimeUnixNano").asLong(),
                attributes(s.path("attributes")), events));
          }
        }
      }
    }
    return out;
  }

  /** Metric name to the attribute keys seen on its points, over every export in the file. */
  static Map<String, Set<String>> metrics(Path file) throws IOException {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (JsonNode line : lines(file)) {
      for (JsonNode rm : line.path("resourceMetrics")) {
        for (JsonNode sm : rm.path("scopeMetrics")) {
          for (JsonNode m : sm.path("metrics")) {
            Set<String> keys = out.computeIfAbsent(m.path("name").asText(), k -> new TreeSet<>());
            for (String kind : List.of("sum", "histogram", "gauge")) {
              for (JsonNode p : m.path(kind).path("dataPoints")) {
                p.path("attributes").forEach(a -> keys.add(a.path("key").asText()));
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        out.add(mapper.readTree(line));
      }
    }
    return out;
  }

  private static Map<String, Object> attributes(JsonNode list) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (JsonNode a : list) {
      JsonNode v = a.path("value");
      Object value = v.has("stringValue") ? v.get("stringValue").asText()
          : v.has("intValue") ? (Object) Long.parseLong(v.get("intValue").asText())
          : v.has("boolValue") ? (Object) v.get("boolValue").asBoolean()
          : v.has("doubleValue") ? (Object) v.get("doubleValue").asDouble() : v.toString();
      out.put(a.path("key").asText(), value);
    }
    return out;
  }
}
