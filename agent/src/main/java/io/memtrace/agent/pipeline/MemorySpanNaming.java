package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.memtrace.agent.config.MethodRule;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;

/**
 * The names a memory span carries, as {@code conventions} chooses: memtrace's own ({@code memory.*},
 * kind INTERNAL, the {@code memory.{op}.*} events), the OpenTelemetry GenAI memory conventions'
 * ({@code gen_ai.memory.client}: kind CLIENT, named by {@code gen_ai.operation.name}), or both
 * (seed names, GenAI attributes, kind CLIENT). Consumer thread only.
 */
final class MemorySpanNaming {

  private final SpanFactorySupport support;
  private final boolean seed;
  private final boolean genAi;
  /** {@code capture.values}: the opt-in {@code gen_ai.memory.query.text}. */
  private final io.memtrace.agent.values.ValueCapture values;

  MemorySpanNaming(SpanFactorySupport support, String conventions, io.memtrace.agent.values.ValueCapture values) {
    this.support = support;
    this.seed = !conventions.equals("genai");
    this.genAi = !conventions.equals("seed");
    this.values = values;
  }

  /** {@code gen_ai.operation.name} for a span of {@code rule}, or {@code null} (seed only, or no such operation). */
  String genAiOperation(MethodRule rule) {
    return genAi ? rule.genAiOperation() : null;
  }

  /** Starts the span: named by its GenAI operation only when the seed names are off. */
  SpanRecord begin(SpanRecord record, SpanEvent event, String seedName, String genAiOp) {
    String name = !seed && genAiOp != null ? genAiOp : seedName;
    // INTERNAL under seed and both (memtrace's own shape: the Redis children are the CLIENT spans), CLIENT under genai
    return support.begin(record, event, name, seed ? SpanKind.INTERNAL : SpanKind.CLIENT);
  }

  /**
   * What the operation was and what it touched: the operation, store (namespace), record (key) and
   * counts, in the chosen names. {@code memory.operation} stays under genai when the conventions
   * have no name for the operation; a search's key is what it looked for, never a record id.
   */
  void identify(SpanRecord attrs, String op, String genAiOp, Object namespace, String key, long items,
      long results, Object query) {
    if (seed || genAiOp == null) {
      attrs.put(MEMORY_OPERATION, op);
    }
    if (seed) {
      if (namespace != null) {
        attrs.put(MEMORY_NAMESPACE, String.valueOf(namespace));
      }
      if (key != null) {
        attrs.put(MEMORY_KEY, key);
      }
      if (items >= 0) {
        attrs.put(MEMORY_ITEM_COUNT, items);
      }
      if (results >= 0) {
        attrs.put(MEMORY_RESULT_COUNT, results);
      }
    }
    if (!genAi) {
      return;
    }
    if (genAiOp != null) {
      attrs.put(GEN_AI_OPERATION_NAME, genAiOp);
    }
    if (namespace != null) {
      attrs.put(GEN_AI_MEMORY_STORE_ID, String.valueOf(namespace));
    }
    if (key != null && !isSearch(op)) {
      attrs.put(GEN_AI_MEMORY_RECORD_ID, key);
    }
    long count = results >= 0 ? results : items;
    if (count >= 0) {
      attrs.put(GEN_AI_MEMORY_RECORD_COUNT, count);
    }
    if (query != null && values.showsInText(key, namespace == null ? null : String.valueOf(namespace))) {
      attrs.put(GEN_AI_MEMORY_QUERY_TEXT, String.valueOf(query));
    }
  }

  /** The {@code memory.{op}.started} and {@code .completed} or {@code .not_found} events (memtrace's own names only). */
  void events(SpanRecord attrs, SpanEvent event, String op, Object namespace, String key, Object agentId,
      String outcome) {
    if (!seed) {
      return;
    }
    AttributesBuilder startAttrs = Attributes.builder();
    if (namespace != null) {
      startAttrs.put(MEMORY_NAMESPACE, String.valueOf(namespace));
    }
    if (key != null) {
      startAttrs.put(MEMORY_KEY, key);
    }
    if (agentId != null) {
      startAttrs.put(AGENT_ID, String.valueOf(agentId));
    }
    attrs.addEvent(EventData.create(support.epochNanos(event.startNanos), "memory." + op + ".started", startAttrs.build()));
    long endEpoch = support.epochNanos(event.endNanos);
    if (outcome.equals("not_found")) {
      attrs.addEvent(EventData.create(endEpoch, "memory." + op + ".not_found", Attributes.of(MEMORY_FOUND, false)));
    } else if (outcome.equals("success")) {
      attrs.addEvent(EventData.create(endEpoch, "memory." + op + ".completed", Attributes.of(MEMORY_SUCCESS, true)));
    }
  }

  private static boolean isSearch(String op) {
    return op.startsWith("search") || op.startsWith("query") || op.startsWith("list");
  }
}
