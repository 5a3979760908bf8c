package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.memtrace.agent.otel.OtelApi;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;

/**
 * Gives a model call's span that Micrometer Tracing made of Spring AI's observation (see ObservedModelHooks) the
 * links and totals memtrace's own model span would carry, through the application's OpenTelemetry API: the
 * observation context holds the call's prompt, whose messages the {@link ProvenanceIndex} knows, and the handler
 * holds the span, which takes links until it ends. Everything is read by reflection, through the application's
 * class loaders; a bridge other than OpenTelemetry's (Brave) is left alone. Consumer thread only.
 */
final class ObservedSpanLinks {

  private static final String TRACING_HANDLER = "io.micrometer.tracing.handler.TracingObservationHandler";
  private static final String OBSERVATION_CONTEXT = "io.micrometer.observation.Observation$Context";
  private static final String OTEL_SPAN_BRIDGE = "io.micrometer.tracing.otel.bridge.OtelSpan";

  private final ProvenanceIndex provenance;

  ObservedSpanLinks(ProvenanceIndex provenance) {
    this.provenance = provenance;
  }

  /** The span of {@code event}'s observation has started: adds its links, then lets the handler end it. */
  void started(SpanEvent event) {
    Object handler = event.self;
    Object context = event.methodArgs[0];
    Object latch = event.methodArgs[1];
    try {
      Object prompt = call(context, context.getClass().getMethod("getRequest"));
      Object messages = prompt == null ? null : call(prompt, prompt.getClass().getMethod("getInstructions"));
      PromptContext found = PromptContext.of(provenance, messages);
      if (found.any()) {
        Object span = otelSpan(handler, context);
        if (span != null) {
          new AppOtel(span.getClass().getClassLoader()).add(span, found);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      AgentLog.warnOnce("observed-model-links", "memtrace could not give a model span made by Spring AI's"
          + " observations its links to memory (" + e + "); those spans carry none (warned once)", null);
    } finally {
      if (latch instanceof CountDownLatch) {
        ((CountDownLatch) latch).countDown();
      }
    }
  }

  /** The OpenTelemetry span behind the observation's Micrometer span, or null under another bridge. */
  private static Object otelSpan(Object handler, Object context) throws ReflectiveOperationException {
    ClassLoader loader = handler.getClass().getClassLoader();
    Class<?> tracing = Class.forName(TRACING_HANDLER, false, loader);
    Object tracingContext = call(handler, tracing.getMethod("getTracingContext",
        Class.forName(OBSERVATION_CONTEXT, false, loader)), context);
    Object span = tracingContext == null ? null : call(tracingContext, tracingContext.getClass().getMethod("getSpan"));
    if (span == null) {
      return null;
    }
    Class<?> bridge;
    try {
      bridge = Class.forName(OTEL_SPAN_BRIDGE, false, span.getClass().getClassLoader());
    } catch (ClassNotFoundException e) {
      AgentLog.infoOnce("observed-model-bridge", "Spring AI's model spans are made by a Micrometer Tracing bridge"
          + " other than OpenTelemetry's (" + span.getClass().getName() + "): memtrace gives them no links");
      return null;
    }
    return call(null, bridge.getMethod("toOtel", Class.forName("io.micrometer.tracing.Span", false,
        span.getClass().getClassLoader())), span);
  }

  private static Object call(Object target, Method method, Object... args) throws ReflectiveOperationException {
    method.trySetAccessible();
    return method.invoke(target, args);
  }

  /** The application's OpenTelemetry API, as its span's class loader sees it. */
  private static final class AppOtel {
    private final Class<?> spanType;
    private final Class<?> spanContext;
    private final Class<?> traceFlags;
    private final Class<?> traceState;
    private final Class<?> attributes;
    private final Class<?> attributeKey;

    AppOtel(ClassLoader loader) throws ClassNotFoundException {
      OtelApi api = OtelApi.applications(loader); // not memtrace's relocated copy
      spanType = api.load("api.trace.Span");
      spanContext = api.load("api.trace.SpanContext");
      traceFlags = api.load("api.trace.TraceFlags");
      traceState = api.load("api.trace.TraceState");
      attributes = api.load("api.common.Attributes");
      attributeKey = api.load("api.common.AttributeKey");
    }

    void add(Object span, PromptContext found) throws ReflectiveOperationException {
      Method addLink = spanType.getMethod("addLink", spanContext, attributes); // API 1.37 and later
      Method create = spanContext.getMethod("create", String.class, String.class, traceFlags, traceState);
      Object sampled = traceFlags.getMethod("getSampled").invoke(null);
      Object defaultState = traceState.getMethod("getDefault").invoke(null);
      Method stringKey = attributeKey.getMethod("stringKey", String.class);
      Method longKey = attributeKey.getMethod("longKey", String.class);
      Method of = attributes.getMethod("of", attributeKey, Object.class, attributeKey, Object.class);
      Object sourceKey = stringKey.invoke(null, CONTEXT_SOURCE.getKey());
      Object recordsKey = longKey.invoke(null, CONTEXT_RECORDS.getKey());
      for (ProvenanceIndex.Contribution c : found.links) {
        ProvenanceIndex.Source s = c.source;
        Object target = create.invoke(null, TraceId.fromLongs(s.traceIdHigh, s.traceIdLow), SpanId.fromLong(s.spanId),
            sampled, defaultState);
        addLink.invoke(span, target, of.invoke(null, sourceKey, s.kind, recordsKey, c.records));
      }
      Method setLong = spanType.getMethod("setAttribute", String.class, long.class);
      setLong.invoke(span, CONTEXT_MESSAGES.getKey(), found.messages);
      setLong.invoke(span, CONTEXT_RECORDS.getKey(), found.records);
      setLong.invoke(span, CONTEXT_BYTES.getKey(), found.bytes);
      if (found.promptShare >= 0) {
        spanType.getMethod("setAttribute", String.class, double.class).invoke(span, CONTEXT_PROMPT_SHARE.getKey(),
            found.promptShare);
      }
    }
  }
}
