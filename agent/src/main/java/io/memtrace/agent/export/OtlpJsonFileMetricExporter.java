package io.memtrace.agent.export;

import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;

/** {@code MEMTRACE_METRICS_FILE}: every export appended as one line of OTLP JSON ({@code {"resourceMetrics":[...]}}). */
public final class OtlpJsonFileMetricExporter implements MetricExporter {

  private final JsonLinesFile file;

  public OtlpJsonFileMetricExporter(Path path) throws IOException {
    this.file = new JsonLinesFile(path);
  }

  @Override
  public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
    if (metrics.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    return file.append(() -> MetricsRequestMarshaler.create(metrics), 32);
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
    return file.close();
  }
}
