package io.memtrace.otel;

import io.memtrace.agent.bootstrap.JoinedParent;
import io.memtrace.agent.bootstrap.OtelSpanReader;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Reads the current span straight from the OpenTelemetry API: in the extension that is the
 * OpenTelemetry agent's own (this class's references are remapped to its shaded API as it loads),
 * whose context the application's API is bridged to. Notes each trace joined and whether it was
 * sampled, for {@link TraceSampling}. Called on application threads; allocates nothing of its own
 * (the API keeps the ids as strings).
 */
final class CurrentSpanReader extends OtelSpanReader {

  private final JoinedTraces joined;

  private CurrentSpanReader(JoinedTraces joined) {
    this.joined = joined;
  }

  /** Makes memtrace ask this reader; only once the bridge is on the bootstrap class path. */
  static void install(JoinedTraces joined) {
    OtelSpanReader.install(new CurrentSpanReader(joined));
  }

  @Override
  protected boolean readCurrent(JoinedParent parent) {
    SpanContext context = Span.current().getSpanContext();
    if (!context.isValid() || !parent.setHex(context.getTraceId(), context.getSpanId(), context.isSampled())) {
      return false;
    }
    joined.note(parent.traceIdLow(), context.isSampled());
    return true;
  }
}
