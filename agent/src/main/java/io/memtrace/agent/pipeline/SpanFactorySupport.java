package io.memtrace.agent.pipeline;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** What every span factory does the same way: ids, clock, resource, and the exception event. */
final class SpanFactorySupport {

  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final int MAX_STACK_TRACE = 4096;

  private final SpanClock clock;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;

  SpanFactorySupport(SpanClock clock, Resource resource, InstrumentationScopeInfo scope) {
    this.clock = clock;
    this.resource = resource;
    this.scope = scope;
  }

  long epochNanos(long nanoTime) {
    return clock.toEpochNanos(nanoTime);
  }

  /** Adds the standard {@code exception} event and returns the ERROR status for {@code error}. */
  StatusData exception(Throwable error, long endNanos, List<EventData> events, AttributesBuilder attrs) {
    String message = String.valueOf(error.getMessage());
    attrs.put(ERROR_TYPE, error.getClass().getName());
    events.add(EventData.create(clock.toEpochNanos(endNanos), "exception", Attributes.builder()
        .put(EXCEPTION_TYPE, error.getClass().getName())
        .put(EXCEPTION_MESSAGE, message)
        .put(EXCEPTION_STACKTRACE, stackTrace(error))
        .build()));
    return StatusData.create(StatusCode.ERROR, message);
  }

  SpanData span(SpanEvent event, String name, SpanKind kind, AttributesBuilder attrs,
      List<EventData> events, StatusData status) {
    SpanContext context = SpanContext.create(TraceId.fromLongs(event.traceIdHigh, event.traceIdLow),
        SpanId.fromLong(event.spanId), TraceFlags.getSampled(), TraceState.getDefault());
    SpanContext parent = event.parentSpanId == 0 ? SpanContext.getInvalid()
        : SpanContext.create(context.getTraceId(), SpanId.fromLong(event.parentSpanId),
            TraceFlags.getSampled(), TraceState.getDefault());
    return new MemtraceSpanData(name, kind, context, parent, status,
        clock.toEpochNanos(event.startNanos), clock.toEpochNanos(event.endNanos), attrs.build(),
        events, scope, resource);
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    String text = out.toString();
    return text.length() > MAX_STACK_TRACE ? text.substring(0, MAX_STACK_TRACE) : text;
  }
}
