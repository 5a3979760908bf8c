package io.memtrace.agent.export;

import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * OTLP/HTTP protobuf metric export through the same {@link OtlpHttpSender} as spans: the SDK's
 * marshaler writes the request, memtrace's sender posts it. Using the SDK's own HTTP exporter
 * would start the JDK HTTP client, and with it the TLS stack and its certificate store, in every
 * application, for a few requests a minute. Cumulative temporality.
 */
public final class OtlpHttpMetricExporter implements MetricExporter {

  private final OtlpHttpSender sender;

  public OtlpHttpMetricExporter(String endpoint, Map<String, String> headers, boolean gzip, Duration timeout) {
    this.sender = new OtlpHttpSender(endpoint, headers, gzip, timeout, "memtrace-otlp-metrics", 1);
  }

  /** The exporter for the metrics target: endpoint, headers, compression and timeout. */
  public static OtlpHttpMetricExporter create(OtlpTarget target) {
    return new OtlpHttpMetricExporter(target.endpoint, target.headers, target.gzip, target.timeout);
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
      MetricsRequestMarshaler.create(metrics).writeBinaryTo(out);
      return sender.send(out.toByteArray(), out.size(), () -> { });
    } catch (IOException | RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    sender.shutdown();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "otlp " + sender;
  }
}
