package io.memtrace.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Spans read back from the agent's OTLP-JSON file ({@code MEMTRACE_TRACES_FILE}). */
final class ExportedSpans {

  final List<Span> spans;

  private ExportedSpans(List<Span> spans) {
    this.spans = spans;
  }

  static ExportedSpans read(Path file) throws IOException {
    List<Span> spans = new ArrayList<>();
    if (!Files.exists(file)) {
      return new ExportedSpans(spans);
    }
    ObjectMapper mapper = new ObjectMapper();
    // The agent may be writing while this reads: every finished line ends in '\n', so an unterminated
    // last line is one still being written, and waits for the next read.
    byte[] bytes = Files.readAllBytes(file);
    int complete = bytes.length;
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    String text = new String(bytes, 0, complete, java.nio.charset.StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode root = mapper.readTree(line);
      for (JsonNode rs : root.path("resourceSpans")) {
        Map<String, Object> resource = attributes(rs.path("resource").path("attributes"));
        for (JsonNode ss : rs.path("scopeSpans")) {
          for (JsonNode s : ss.path("spans")) {
            List<String> events = new ArrayList<>();
            List<Map<String, Object>> eventAttributes = new ArrayList<>();
            for (JsonNode e : s.path("events")) {
              events.add(e.path("name").asText());
              eventAttributes.add(attributes(e.path("attributes")));
            }
            spans.add(new Span(ss.path("scope").path("name").asText(), s.path("name").asText(),
                s.path("kind").asInt(), s.path("traceId").asText(), s.path("spanId").asText(),
                s.path("parentSpanId").asText(""), s.path("status").path("code").asInt(0),
                Long.parseLong(s.path("startTimeUnixNano").asText("0")),
                Long.parseLong(s.path("endTimeUnixNano").asText("0")),
                attributes(s.path("attributes")), events, resource, eventAttributes));
          }
        }
      }
    }
    return new ExportedSpans(spans);
  }

  private static Map<String, Object> attributes(JsonNode list) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (JsonNode a : list) {
      JsonNode v = a.path("value");
      Object value;
      if (v.has("stringValue")) {
        value = v.get("stringValue").asText();
      } else if (v.has("intValue")) {
        value = Long.parseLong(v.get("intValue").asText());
      } else if (v.has("boolValue")) {
        value = v.get("boolValue").asBoolean();
      } else if (v.has("doubleValue")) {
        value = v.get("doubleValue").asDouble();
      } else {
        value = v.toString();
      }
      out.put(a.path("key").asText(), value);
    }
    return out;
  }

  List<Span> where(Predicate<Span> filter) {
    return spans.stream().filter(filter).collect(Collectors.toList());
  }

  /** The spans whose parent is {@code parent}, in the order they started. */
  List<Span> childrenOf(Span parent) {
    return spans.stream().filter(s -> s.parentSpanId.equals(parent.spanId) && s.traceId.equals(parent.traceId))
        .sorted(Comparator.comparingLong(s -> s.start)).collect(Collectors.toList());
  }

  /** The spans whose sanitized query text is exactly {@code text}. */
  List<Span> withQuery(String text) {
    return where(s -> text.equals(s.attributes.get("db.query.text")));
  }

  static final class Span {
    static final int KIND_INTERNAL = 1;
    static final int KIND_CLIENT = 3;
    static final int STATUS_ERROR = 2;

    /** The name of the instrumentation scope that made the span ({@code io.memtrace.jedis}, ...). */
    final String scope;
    final String name;
    final int kind;
    final String traceId;
    final String spanId;
    final String parentSpanId;
    final int statusCode;
    final long start;
    final long end;
    final Map<String, Object> attributes;
    final List<String> events;
    final Map<String, Object> resource;
    /** The attributes of each of {@link #events}, in the same order. */
    final List<Map<String, Object>> eventAttributes;

    Span(String scope, String name, int kind, String traceId, String spanId, String parentSpanId, int statusCode,
        long start, long end, Map<String, Object> attributes, List<String> events,
        Map<String, Object> resource, List<Map<String, Object>> eventAttributes) {
      this.scope = scope;
      this.name = name;
      this.kind = kind;
      this.traceId = traceId;
      this.spanId = spanId;
      this.parentSpanId = parentSpanId;
      this.statusCode = statusCode;
      this.start = start;
      this.end = end;
      this.attributes = attributes;
      this.events = events;
      this.resource = resource;
      this.eventAttributes = eventAttributes;
    }

    @Override
    public String toString() {
      return name + " " + attributes + " status=" + statusCode + " events=" + events;
    }
  }
}
