package io.memtrace.agent.export;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Appends every batch as one line of OTLP JSON ({@code {"resourceSpans":[...]}}), the format of the
 * OpenTelemetry file exporter, which the memtrace collector imports. Runs on the consumer thread.
 */
public final class OtlpJsonFileSpanExporter implements SpanExporter {

  private final Path path;
  private OutputStream out;
  private boolean shutdown;

  public OtlpJsonFileSpanExporter(Path path) throws IOException {
    this.path = path;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.out = new FileOutputStream(path.toFile(), true);
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    if (shutdown) {
      return CompletableResultCode.ofFailure();
    }
    try {
      ByteArrayOutputStream line = new ByteArrayOutputStream(1024 * spans.size());
      TraceRequestMarshaler.create(spans).writeJsonTo(line);
      line.write('\n');
      line.writeTo(out);
      out.flush();
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    shutdown = true;
    try {
      out.close();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public String toString() {
    return "file " + path;
  }
}
