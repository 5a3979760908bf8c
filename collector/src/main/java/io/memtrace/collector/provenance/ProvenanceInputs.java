package io.memtrace.collector.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.lineage.ReadLineage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@link ProvenanceQueries} reads from a store and {@link Provenance#assemble} joins: plain rows, so the joining
 * is tested without a store, and
 * each store (the embedded one here, ClickHouse's in {@code clickhouse.reader}) only fetches them.
 */
public final class ProvenanceInputs {

  /** Made when text is first parsed: a report whose store has no model calls loads no Jackson. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private ProvenanceInputs() {
  }

  /** A link of a model span: the memory span, and the link's {@code memtrace.context.*} attributes. */
  public record Link(String traceId, String spanId, String source, Long records) {
  }

  /** A model span: its facts, the tenant its own attributes give, and its links. */
  public record Call(String traceId, String spanId, String name, String service, long startMicros, String model,
      String conversationId, Long inputTokens, Long contextRecords, Double promptShare, String tenant, boolean linked,
      List<Link> links) {
  }

  /**
   * A span of a memory span's subtree (the memory span included), with what records need: its key and where it lives
   * ({@code redis} {@code host:port} and {@code db} for a Redis span, {@code namespace} for a memory-manager one),
   * the command or operation, and for a memory span its tenant and the record ids it returned.
   */
  public record Span(String traceId, String spanId, String parentSpanId, String name, String service, long startMicros,
      long endMicros, String key, String namespace, String memoryOperation, String command, boolean database,
      String redis, Integer db, String tenant, List<String> recordIds) {
  }

  /** A write or delete of a key, as {@code key_event_rows} has it. */
  public record Write(String layer, String redis, Integer db, String namespace, String key, long startMicros, long endMicros,
      String service, String traceId) {
  }

  /** Everything, keyed as {@link Provenance#assemble} looks it up. */
  public record All(List<Call> calls, Map<String, Span> spans, Map<String, List<Span>> children,
      Map<String, Map<String, ReadLineage>> lineage, List<Write> writes, TenantRule rule) {
  }

  /** A record id attribute as stored: one id, or a JSON list of them. */
  public static List<String> recordIds(String value) {
    if (value == null || value.isEmpty()) {
      return List.of();
    }
    if (value.startsWith("[")) {
      try {
        List<String> ids = new ArrayList<>();
        for (JsonNode id : Json.MAPPER.readTree(value)) {
          ids.add(id.asText());
        }
        return ids;
      } catch (java.io.IOException e) {
        return List.of(value);
      }
    }
    return List.of(value);
  }

  /** The links of a span as stored (see {@code SpanRow#linksJson}); none for null or text that is not links. */
  public static List<Link> links(String json) {
    if (json == null) {
      return List.of();
    }
    List<Link> links = new ArrayList<>();
    try {
      for (JsonNode link : Json.MAPPER.readTree(json)) {
        JsonNode attributes = link.path("attributes");
        JsonNode records = attributes.path("memtrace.context.records");
        links.add(new Link(link.path("trace_id").asText(), link.path("span_id").asText(),
            attributes.hasNonNull("memtrace.context.source") ? attributes.get("memtrace.context.source").asText() : null,
            records.isNumber() || records.isTextual() && records.asText().matches("\\d+") ? records.asLong() : null));
      }
    } catch (java.io.IOException e) {
      return List.of();
    }
    return links;
  }

  public static String id(String traceId, String spanId) {
    return traceId + "/" + spanId;
  }
}
