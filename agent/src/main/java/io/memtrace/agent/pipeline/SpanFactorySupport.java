package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import java.io.PrintWriter;
import java.io.StringWriter;

/** What every span factory does the same way: ids, clock, resource, and the exception event. */
final class SpanFactorySupport {

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

  /** Adds the standard {@code exception} event and the ERROR status for {@code error}. */
  void exception(Throwable error, long endNanos, SpanRecord record) {
    String message = String.valueOf(error.getMessage());
    record.put(ERROR_TYPE, error.getClass().getName());
    record.addEvent(EventData.create(clock.toEpochNanos(endNanos), "exception", Attributes.builder()
        .put(EXCEPTION_TYPE, error.getClass().getName())
        .put(EXCEPTION_MESSAGE, message)
        .put(EXCEPTION_STACKTRACE, stackTrace(error))
        .build()));
    record.status(StatusCode.ERROR, message);
  }

  /** Starts {@code record} afresh as the span of {@code event}: ids, name, kind, times, scope. */
  SpanRecord begin(SpanRecord record, SpanEvent event, String name, SpanKind kind) {
    record.reset();
    record.traceIdHigh = event.traceIdHigh;
    record.traceIdLow = event.traceIdLow;
    record.spanId = event.spanId;
    record.parentSpanId = event.parentSpanId;
    record.otelParent = event.otelParent;
    record.name = name;
    record.kind = kind;
    record.scope = scope;
    record.resource = resource;
    record.startEpochNanos = clock.toEpochNanos(event.startNanos);
    record.endEpochNanos = clock.toEpochNanos(event.endNanos);
    return record;
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    String text = out.toString();
    return text.length() > MAX_STACK_TRACE ? text.substring(0, MAX_STACK_TRACE) : text;
  }
}
