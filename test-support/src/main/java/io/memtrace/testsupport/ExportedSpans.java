package io.memtrace.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Spans read back from the agent's OTLP-JSON file ({@code MEMTRACE_TRACES_FILE}), in the order they were written. */
public final class ExportedSpans {

  public final List<Span> spans;

  private ExportedSpans(List<Span> spans) {
    this.spans = spans;
  }

  /**
   * {@code dir/spans.jsonl}, for a run's {@code MEMTRACE_TRACES_FILE}: {@code dir} made if missing, and a file left by an
   * earlier run removed, so that {@link #read} sees only what this run exports.
   */
  public static Path freshFile(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("spans.jsonl");
    Files.deleteIfExists(file);
    return file;
  }

  /** The spans of every finished line of {@code file}; none when the agent has not written it yet. */
  public static ExportedSpans read(Path file) throws IOException {
    List<Span> spans = new ArrayList<>();
    for (JsonNode root : OtlpJsonLines.read(file)) {
      for (JsonNode rs : root.path("resourceSpans")) {
        Map<String, Object> resource = OtlpJsonLines.attributes(rs.path("resource").path("attributes"));
        for (JsonNode ss : rs.path("scopeSpans")) {
          for (JsonNode s : ss.path("spans")) {
            List<String> events = new ArrayList<>();
            List<Map<String, Object>> eventAttributes = new ArrayList<>();
            for (JsonNode e : s.path("events")) {
              events.add(e.path("name").asText());
              eventAttributes.add(OtlpJsonLines.attributes(e.path("attributes")));
            }
            Span span = new Span(ss.path("scope").path("name").asText(), s.path("name").asText(),
                s.path("kind").asInt(), s.path("traceId").asText(), s.path("spanId").asText(),
                s.path("parentSpanId").asText(""), s.path("status").path("code").asInt(0),
                Long.parseLong(s.path("startTimeUnixNano").asText("0")),
                Long.parseLong(s.path("endTimeUnixNano").asText("0")),
                OtlpJsonLines.attributes(s.path("attributes")), events, resource, eventAttributes);
            for (JsonNode l : s.path("links")) {
              span.links.add(new Link(l.path("traceId").asText(), l.path("spanId").asText(),
                  OtlpJsonLines.attributes(l.path("attributes"))));
            }
            spans.add(span);
          }
        }
      }
    }
    return new ExportedSpans(spans);
  }

  public List<Span> where(Predicate<Span> filter) {
    return spans.stream().filter(filter).collect(Collectors.toList());
  }

  /** The span a link points at, if it was exported. */
  public java.util.Optional<Span> target(Link link) {
    return spans.stream().filter(s -> s.spanId.equals(link.spanId) && s.traceId.equals(link.traceId)).findFirst();
  }

  /** One span link: the span it points at and its own attributes. */
  public static final class Link {
    public final String traceId;
    public final String spanId;
    public final Map<String, Object> attributes;

    Link(String traceId, String spanId, Map<String, Object> attributes) {
      this.traceId = traceId;
      this.spanId = spanId;
      this.attributes = attributes;
    }

    @Override
    public String toString() {
      return traceId + "/" + spanId + " " + attributes;
    }
  }

  /** The spans whose parent is {@code parent}, in the order they started. */
  public List<Span> childrenOf(Span parent) {
    return spans.stream().filter(s -> s.parentSpanId.equals(parent.spanId) && s.traceId.equals(parent.traceId))
        .sorted(Comparator.comparingLong(s -> s.start)).collect(Collectors.toList());
  }

  /** The spans whose sanitized query text is exactly {@code text}. */
  public List<Span> withQuery(String text) {
    return where(s -> text.equals(s.attributes.get("db.query.text")));
  }

  /** One exported span; attribute values are strings, longs, booleans or doubles. */
  public static final class Span {
    public static final int KIND_INTERNAL = 1;
    public static final int KIND_CLIENT = 3;
    public static final int STATUS_OK = 1;
    public static final int STATUS_ERROR = 2;

    /** The name of the instrumentation scope that made the span ({@code io.memtrace.jedis}, ...). */
    public final String scope;
    public final String name;
    public final int kind;
    public final String traceId;
    public final String spanId;
    /** "" for a root. */
    public final String parentSpanId;
    public final int statusCode;
    public final long start;
    public final long end;
    public final Map<String, Object> attributes;
    public final List<String> events;
    public final Map<String, Object> resource;
    /** The attributes of each of {@link #events}, in the same order. */
    public final List<Map<String, Object>> eventAttributes;
    /** Its span links, in order. */
    public final List<Link> links = new ArrayList<>();

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
