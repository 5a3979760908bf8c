package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.trace.data.LinkData;
import java.util.Map;

/**
 * Builds a model call's span in the OpenTelemetry GenAI client shape ({@code chat {model}}, CLIENT)
 * with span links to the memory reads its prompt was given, found in the {@link ProvenanceIndex},
 * and the totals the collector reads: {@code memtrace.context.records} (retrieved records),
 * {@code memtrace.context.messages} (chat-memory messages), {@code memtrace.context.bytes} and
 * {@code memtrace.context.prompt_share}. The prompt's text is never exported. It indexes the memory reads and
 * hand-offs a prompt may be given as they end. Consumer thread only.
 */
final class ModelSpanFactory {

  private final SpanFactorySupport support;
  private final KeyPolicy keys;
  /** Which memory reads each prompt object came from. */
  private final ProvenanceIndex provenance = new ProvenanceIndex();
  /** Model clients whose calls another instrumentation already makes spans of (see ObservedModels). */
  private final ObservedModels observed = new ObservedModels();
  /** Gives those calls' spans their links to memory (see ObservedModelHooks). */
  private final ObservedSpanLinks observedLinks;

  ModelSpanFactory(SpanFactorySupport support, KeyPolicy keys) {
    this.support = support;
    this.keys = keys;
    this.observedLinks = new ObservedSpanLinks(provenance);
  }

  /** A call of a model client whose spans another instrumentation makes has started (see ObservedModelHooks). */
  void observedStarted(SpanEvent event) {
    observedLinks.started(event);
  }

  /**
   * Writes the span of a finished model call; {@code values} are its rule's evaluated attributes. False, and no
   * span, when the client's calls have spans made elsewhere.
   */
  boolean write(SpanEvent event, Map<String, Object> values, SpanRecord record) {
    if (observed.tracedElsewhere(event.self)) {
      AgentLog.infoOnce("model-observed-" + event.self.getClass().getName(), event.self.getClass().getName()
          + " makes its own spans (Spring AI observations with a Micrometer Tracing handler): memtrace adds no"
          + " model-call span for its calls, and gives the spans made with OpenTelemetry their links to memory");
      return false;
    }
    Object messages = values.remove(RULE_PROMPT_MESSAGES);
    values.remove(RULE_DOCUMENTS);
    values.remove(RULE_MEMORY_ID);
    Object model = values.get(GEN_AI_REQUEST_MODEL.getKey());
    SpanRecord attrs = support.begin(record, event, model == null ? "chat" : "chat " + model, SpanKind.CLIENT);
    attrs.put(GEN_AI_OPERATION_NAME, "chat");
    if (!values.containsKey(GEN_AI_PROVIDER_NAME.getKey()) && event.self != null) {
      attrs.put(GEN_AI_PROVIDER_NAME, GenAiProviders.of(event.self.getClass()));
    }
    Object conversation = values.remove(GEN_AI_CONVERSATION_ID.getKey());
    String memoryKey = context(messages, attrs);
    if (conversation == null) {
      conversation = memoryKey;
    }
    if (conversation != null) {
      attrs.put(GEN_AI_CONVERSATION_ID, String.valueOf(conversation));
    }
    values.forEach((k, v) -> RuleValues.put(attrs, k, v));
    if (event.error != null) {
      support.exception(event.error, event.endNanos, attrs);
    } else {
      attrs.status(StatusCode.OK, null);
    }
    return true;
  }

  /** Indexes a read's results as what a prompt may be given (a problem only loses provenance). */
  void indexRead(SpanEvent event, String source, Object rawKey) {
    try {
      ProvenanceIndex.Source read = new ProvenanceIndex.Source(event.traceIdHigh, event.traceIdLow, event.spanId,
          source, rawKey == null ? null : keys.display(String.valueOf(rawKey)));
      provenance.read(read, event.reply);
      if (event.handOffId != 0) {
        provenance.readInside(event.handOffId, read, event.reply);
      }
    } catch (RuntimeException e) {
      AgentLog.warnOnce("provenance-read", "memtrace could not index a memory read's results for provenance ("
          + e + "); its model calls will lack that link (warned once)", null);
    }
  }

  /** A call handed retrieved documents or messages on (a {@code HANDOFF} rule); a problem only loses provenance. */
  void handOff(SpanEvent event, Map<String, Object> values) {
    try {
      provenance.handOff(event.spanId, values.get(RULE_DOCUMENTS), values.get(RULE_PROMPT_MESSAGES), values.get(RULE_MEMORY_ID),
          values.get(GEN_AI_CONVERSATION_ID.getKey()));
    } catch (RuntimeException e) {
      AgentLog.warnOnce("provenance-handoff", "memtrace could not follow a hand-off of retrieved documents ("
          + e + "); its model call will lack that link (warned once)", null);
    }
  }

  /** Adds the links and totals of the prompt's memory; returns the chat memory's key, if one fed it. */
  private String context(Object messages, SpanRecord attrs) {
    PromptContext prompt = PromptContext.of(provenance, messages);
    if (!prompt.any()) {
      return prompt.memoryKey;
    }
    for (ProvenanceIndex.Contribution c : prompt.links) {
      link(attrs, c);
    }
    attrs.put(CONTEXT_MESSAGES, prompt.messages);
    attrs.put(CONTEXT_RECORDS, prompt.records);
    attrs.put(CONTEXT_BYTES, prompt.bytes);
    if (prompt.promptShare >= 0) {
      attrs.put(CONTEXT_PROMPT_SHARE, prompt.promptShare);
    }
    return prompt.memoryKey;
  }

  private static void link(SpanRecord attrs, ProvenanceIndex.Contribution c) {
    ProvenanceIndex.Source s = c.source;
    SpanContext target = SpanContext.create(TraceId.fromLongs(s.traceIdHigh, s.traceIdLow),
        SpanId.fromLong(s.spanId), TraceFlags.getSampled(), TraceState.getDefault());
    attrs.addLink(LinkData.create(target, Attributes.builder()
        .put(CONTEXT_SOURCE, s.kind)
        .put(CONTEXT_RECORDS, c.records)
        .build()));
  }
}
