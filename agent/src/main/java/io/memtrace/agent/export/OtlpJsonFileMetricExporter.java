package io.memtrace.agent.export;

import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** {@code MEMTRACE_METRICS_FILE}: every export appended as one line of OTLP JSON ({@code {"resourceMetrics":[...]}}). */
public final class OtlpJsonFileMetricExporter implements MetricExporter {

  private final OutputStream out;

  public OtlpJsonFileMetricExporter(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.out = new FileOutputStream(path.toFile(), true);
  }

  @Override
  public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
    if (metrics.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    try {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      MetricsRequestMarshaler.create(metrics).writeJsonTo(line);
      line.write('\n');
      line.writeTo(out);
      out.flush();
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    try {
      out.close();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }
}
