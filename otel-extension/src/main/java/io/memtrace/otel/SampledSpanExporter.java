package io.memtrace.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;

/**
 * memtrace's handle on the OpenTelemetry agent's exporters: passes on the spans of sampled
 * traces ({@link TraceSampling}), and at memtrace's shutdown flushes and says it is done
 * ({@code onDone}) rather than closing exporters the agent still uses.
 */
final class SampledSpanExporter implements SpanExporter {

  private final SpanExporter delegate;
  private final TraceSampling sampling;
  private final Runnable onDone;

  SampledSpanExporter(SpanExporter delegate, TraceSampling sampling, Runnable onDone) {
    this.delegate = delegate;
    this.sampling = sampling;
    this.onDone = onDone;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<SpanData> kept = sampling.sampled(spans);
    return kept.isEmpty() ? CompletableResultCode.ofSuccess() : delegate.export(kept);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    CompletableResultCode flushed = delegate.flush();
    flushed.whenComplete(onDone);
    return flushed;
  }

  @Override
  public String toString() {
    return "OpenTelemetry agent: " + delegate;
  }
}
