package io.memtrace.bench;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * The only class of the benchmarks that touches the OpenTelemetry API, so that a fork that never
 * calls it never loads the API (see {@link JoinedSpanBench}).
 */
final class OtelSpanScope {

  private OtelSpanScope() {
  }

  /**
   * Loads the API and, when {@code current}, makes a span current on this thread (the API alone, as
   * an application carrying a traceparent would; no SDK needed).
   */
  static AutoCloseable open(boolean current) {
    if (!current) {
      return Span.current()::getSpanContext; // loads the API, leaves the thread's context alone
    }
    return Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.getDefault())).makeCurrent();
  }
}
