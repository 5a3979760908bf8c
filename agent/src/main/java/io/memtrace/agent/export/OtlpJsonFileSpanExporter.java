package io.memtrace.agent.export;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Appends every batch as one line of OTLP JSON ({@code {"resourceSpans":[...]}}), the format of the
 * OpenTelemetry file exporter, which the memtrace collector imports. Runs on the consumer thread.
 */
public final class OtlpJsonFileSpanExporter implements SpanExporter {

  private final Path path;
  private final JsonLinesFile file;
  private boolean shutdown;

  public OtlpJsonFileSpanExporter(Path path) throws IOException {
    this.path = path;
    this.file = new JsonLinesFile(path);
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    if (shutdown) {
      return CompletableResultCode.ofFailure();
    }
    return file.append(() -> TraceRequestMarshaler.create(spans), 1024 * spans.size());
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    shutdown = true;
    return file.close();
  }

  @Override
  public String toString() {
    return "file " + path;
  }
}
