package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.memtrace.agent.bootstrap.ObservedModelHooks;
import io.memtrace.agent.fingerprint.ValueFingerprint;
import io.memtrace.agent.values.MemoryValueEvents;
import io.memtrace.agent.values.ValueCapture;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.instrumentation.method.CompiledExpression;
import io.memtrace.agent.instrumentation.method.CompiledRule;
import io.memtrace.agent.instrumentation.method.RuleRegistry;
import io.memtrace.agent.metrics.MemoryMetrics;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.api.trace.StatusCode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds memory-manager and task spans in memtrace's own shape, evaluating the rule's expressions
 * against the references the advice captured. Consumer thread only.
 */
public final class MethodSpanFactory {

  /** Attributes a memory span takes from the task around it when its rule does not set them. */
  private static final String[] INHERITED = {AGENT_ID.getKey(), AGENT_TYPE.getKey()};

  private final RuleRegistry registry;
  private final KeyPolicy keys;
  /** Sizes and fingerprints of the values memory calls move. */
  private final MemoryValueBytes valueBytes;
  private final SpanFactorySupport support;
  private final ChildBytes childBytes;
  private final MemoryMetrics metrics;
  private final OpenTasks openTasks = new OpenTasks();
  /** Model calls, and the memory reads and hand-offs their prompts may be given. */
  private final ModelSpanFactory models;
  /** Which names memory spans carry ({@code conventions}); memtrace's own until {@link #naming} says otherwise. */
  private MemorySpanNaming naming;
  /** {@code capture.values}: the {@code memory.value} events of writes whose rule names the value. */
  private MemoryValueEvents valueEvents = new MemoryValueEvents(ValueCapture.NONE);

  public MethodSpanFactory(RuleRegistry registry, KeyPolicy keys, boolean valueSizeJson, SpanClock clock,
      Resource resource, InstrumentationScopeInfo scope, ChildBytes childBytes, MemoryMetrics metrics) {
    this.registry = registry;
    this.keys = keys;
    this.valueBytes = new MemoryValueBytes(valueSizeJson);
    this.support = new SpanFactorySupport(clock, resource, scope);
    this.naming = new MemorySpanNaming(support, "seed", ValueCapture.NONE);
    this.models = new ModelSpanFactory(support, keys);
    this.childBytes = childBytes;
    this.metrics = metrics;
  }

  /**
   * Sets the names memory spans carry ({@code seed}, {@code genai} or {@code both}) and whether the
   * values that may be recorded (the opt-in query text, the {@code memory.value} events); before any event is
   * handled.
   */
  public MethodSpanFactory naming(String conventions, ValueCapture values) {
    this.naming = new MemorySpanNaming(support, conventions, values);
    this.valueEvents = new MemoryValueEvents(values);
    return this;
  }

  /**
   * Gives memory spans that write or read a value its {@code memory.value.fingerprint}: of the value itself when
   * it has bytes of its own (see {@link ValueFingerprint}), else of the one value its Redis commands moved;
   * {@code null} gives none. Before any event is handled.
   */
  public MethodSpanFactory fingerprinting(ValueFingerprint fingerprints) {
    valueBytes.fingerprinting(fingerprints);
    return this;
  }

  void started(SpanEvent event) {
    if (event.rule == ObservedModelHooks.OBSERVED_MODEL) {
      models.observedStarted(event);
      return;
    }
    CompiledRule rule = registry.get(event.rule);
    if (rule == null || !rule.isTask()) {
      return;
    }
    Map<String, Object> inherited = new HashMap<>();
    for (String name : INHERITED) {
      CompiledExpression e = rule.attributes().get(name);
      Object v = e == null ? null : evaluate(rule, e, event, null);
      if (v != null) {
        inherited.put(name, v);
      }
    }
    openTasks.started(event.spanId, inherited);
  }

  /** Writes the span of a finished call into {@code record}; false when its rule is gone. */
  boolean ended(SpanEvent event, SpanRecord record) {
    CompiledRule rule = registry.get(event.rule);
    if (rule == null) {
      return false;
    }
    Map<String, Object> values = new LinkedHashMap<>(rule.rule().constants());
    for (Map.Entry<String, CompiledExpression> e : rule.attributes().entrySet()) {
      Object v = evaluate(rule, e.getValue(), event, event.reply);
      if (v != null) {
        values.put(e.getKey(), v);
      }
    }
    switch (rule.rule().kind()) {
      case HANDOFF:
        models.handOff(event, values);
        return false;
      case STREAM_END:
      case STREAM_CHECK:
        return false;
      case MODEL:
      case MODEL_STREAM:
      case MODEL_CALLBACK:
        childBytes.take(event.spanId);
        return models.write(event, values, record);
      default:
        break;
    }
    long[] wire = childBytes.take(event.spanId);
    if (rule.isTask()) {
      openTasks.ended(event.spanId);
      SpanRecord attrs = support.begin(record, event, rule.spanName(), SpanKind.INTERNAL);
      values.forEach((k, v) -> RuleValues.put(attrs, k, v));
      if (event.error == null) {
        attrs.status(StatusCode.OK, null);
      } else {
        support.exception(event.error, event.endNanos, attrs);
      }
      return true;
    }
    Object source = values.remove(CONTEXT_SOURCE.getKey());
    Object rawKey = values.get(MEMORY_KEY.getKey());
    memorySpan(rule, event, values, wire, record);
    if (source != null && !event.nested && event.error == null && event.reply != null) {
      models.indexRead(event, String.valueOf(source), rawKey);
    }
    return true;
  }

  private void memorySpan(CompiledRule rule, SpanEvent event, Map<String, Object> values, long[] wire,
      SpanRecord record) {
    String op = rule.rule().operation();
    openTasks.inherit(event.parentSpanId, values);
    Object rawKey = values.remove(MEMORY_KEY.getKey());
    String key = rawKey == null ? null : keys.display(String.valueOf(rawKey));
    Boolean found = RuleValues.toBoolean(values.remove(MEMORY_FOUND.getKey()));
    if (event.error != null) {
      found = null; // a call that threw found nothing out; its expressions saw no result
    }
    long results = RuleValues.toCount(values.remove(MEMORY_RESULT_COUNT.getKey()));
    long items = RuleValues.toCount(values.remove(MEMORY_ITEM_COUNT.getKey()));
    long ttl = RuleValues.toSeconds(values.remove(MEMORY_TTL.getKey()));
    Object query = values.remove(GEN_AI_MEMORY_QUERY_TEXT.getKey());
    long size = -1;
    Object value = null;
    if (rule.value() != null) {
      value = evaluate(rule, rule.value(), event, event.reply);
      size = valueBytes.measure(rule.rule().valueSize(), op, value, wire);
      if (items < 0 && results < 0) { // a search's returned list is its result count, not items
        items = ValueSize.items(value);
      }
    } else if (wire != null) {
      size = MemoryValueBytes.fromWire(op, wire);
    }
    if (Boolean.FALSE.equals(found)) {
      size = -1; // a miss read nothing, whatever an empty result measures (as a Redis GET miss)
    }
    double millis = Math.round((event.endNanos - event.startNanos) / 1_000.0) / 1_000.0;
    Object namespace = values.remove(MEMORY_NAMESPACE.getKey());
    String genAiOp = naming.genAiOperation(rule.rule());
    SpanRecord attrs = naming.begin(record, event, rule.spanName(), genAiOp);
    naming.identify(attrs, op, genAiOp, namespace, key, items, results, query);
    if (size >= 0) {
      attrs.put(MEMORY_VALUE_SIZE, size);
    }
    if (ttl >= 0) {
      attrs.put(MEMORY_TTL, ttl);
    }
    if (found != null) {
      attrs.put(MEMORY_FOUND, found);
    }
    if (size >= 0) {
      valueBytes.fingerprint(attrs, op, value, wire);
    }
    values.forEach((k, v) -> RuleValues.put(attrs, k, v));
    attrs.put(MEMORY_OPERATION_DURATION_MS, millis);

    String outcome = outcome(event, found);
    naming.events(attrs, event, op, namespace, key, values.get(AGENT_ID.getKey()), outcome);
    String written = rawKey == null ? null : String.valueOf(rawKey);
    if (event.error == null && valueEvents.wanted(rule.rule().genAiOperation() != null ? rule.rule().genAiOperation()
        : io.memtrace.agent.config.GenAiOperations.of(op), value, written, namespace)) {
      valueEvents.add(attrs, value, support.epochNanos(event.endNanos), written, namespace);
    }
    if (event.error != null) {
      support.exception(event.error, event.endNanos, attrs);
    } else {
      attrs.status(StatusCode.OK, null);
    }
    if (metrics != null) {
      Map<String, String> dimensions = new LinkedHashMap<>();
      for (String dimension : rule.rule().metricAttributes()) {
        Object v = values.get(dimension);
        if (v != null && !dimension.equals(MEMORY_NAMESPACE.getKey())) {
          dimensions.put(dimension, String.valueOf(v));
        }
      }
      if (genAiOp != null) {
        dimensions.put(GEN_AI_OPERATION_NAME.getKey(), genAiOp);
      }
      metrics.memoryOperation(op, namespace == null ? null : String.valueOf(namespace), outcome, millis,
          size, results, found, dimensions);
    }
  }

  private static String outcome(SpanEvent event, Boolean found) {
    return event.error != null ? "error" : Boolean.FALSE.equals(found) ? "not_found" : "success";
  }

  private Object evaluate(CompiledRule rule, CompiledExpression expression, SpanEvent event, Object returned) {
    try {
      return expression.evaluate(event.self, event.methodArgs, returned);
    } catch (Exception | LinkageError e) {
      AgentLog.warnOnce("expr-" + rule.methodLabel() + "-" + expression.text(), "rule "
          + rule.rule().label() + ": expression '" + expression.text() + "' failed on " + rule.methodLabel()
          + " (" + e + "); the attribute is left out (warned once)", null);
      return null;
    }
  }
}
