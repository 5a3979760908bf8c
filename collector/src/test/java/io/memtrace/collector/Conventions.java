package io.memtrace.collector;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three shapes of a memory-manager span that the agent's {@code conventions} setting gives, made
 * from a seed-shaped request the way the agent builds them: {@code seed} as it is; {@code both} with the
 * GenAI memory attributes added and kind CLIENT; {@code genai} named after {@code gen_ai.operation.name},
 * kind CLIENT, without {@code memory.operation}, {@code memory.namespace}, {@code memory.key},
 * {@code memory.result_count}, {@code memory.item_count} and the {@code memory.*} events. Other spans
 * (tasks, Redis commands, model calls) are left as they are.
 */
public enum Conventions {
  SEED, BOTH, GENAI;

  private static final Set<String> SEED_ONLY = Set.of("memory.operation", "memory.namespace", "memory.key",
      "memory.result_count", "memory.item_count");

  /** The agent's default mapping from memtrace's operation to {@code gen_ai.operation.name}. */
  static String genAiOperation(String operation) {
    switch (operation) {
      case "store": case "save": case "put": case "set": case "add":
        return "upsert_memory";
      case "retrieve": case "get": case "load": case "read": case "find": case "search": case "query":
        return "search_memory";
      case "delete": case "remove": case "evict": case "clear":
        return "delete_memory";
      case "create":
        return "create_memory";
      case "update":
        return "update_memory";
      default:
        return null;
    }
  }

  public ExportTraceServiceRequest shape(ExportTraceServiceRequest request) {
    if (this == SEED) {
      return request;
    }
    ExportTraceServiceRequest.Builder out = request.toBuilder();
    for (ResourceSpans.Builder resource : out.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder scope : resource.getScopeSpansBuilderList()) {
        scope.getSpansBuilderList().forEach(this::shape);
      }
    }
    return out.build();
  }

  private void shape(Span.Builder span) {
    Map<String, AnyValue> seed = new HashMap<>();
    span.getAttributesList().forEach(a -> seed.put(a.getKey(), a.getValue()));
    if (!seed.containsKey("memory.operation")) {
      return;
    }
    String operation = seed.get("memory.operation").getStringValue();
    String genAi = genAiOperation(operation);
    List<KeyValue> attributes = new ArrayList<>();
    for (KeyValue a : span.getAttributesList()) {
      if (this == BOTH || !SEED_ONLY.contains(a.getKey())) {
        attributes.add(a);
      }
    }
    if (genAi != null) {
      attributes.add(SpanFixtures.attr("gen_ai.operation.name", genAi));
    }
    copy(seed, "memory.namespace", "gen_ai.memory.store.id", attributes);
    copy(seed, "memory.key", "gen_ai.memory.record.id", attributes);
    boolean lookup = operation.equals("retrieve") || operation.equals("search");
    copy(seed, lookup ? "memory.result_count" : "memory.item_count", "gen_ai.memory.record.count", attributes);
    span.clearAttributes().addAllAttributes(attributes).setKind(Span.SpanKind.SPAN_KIND_CLIENT);
    if (this == GENAI) {
      if (genAi != null) {
        span.setName(genAi);
      }
      List<Span.Event> events = span.getEventsList().stream().filter(e -> !e.getName().startsWith("memory.")).toList();
      span.clearEvents().addAllEvents(events);
    }
  }

  private static void copy(Map<String, AnyValue> seed, String from, String to, List<KeyValue> attributes) {
    if (seed.containsKey(from)) {
      attributes.add(KeyValue.newBuilder().setKey(to).setValue(seed.get(from)).build());
    }
  }
}
