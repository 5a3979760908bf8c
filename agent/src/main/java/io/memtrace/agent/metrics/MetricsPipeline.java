package io.memtrace.agent.metrics;

import io.memtrace.agent.export.OtelSettings;
import io.memtrace.agent.export.OtlpHttpMetricExporter;
import io.memtrace.agent.export.OtlpJsonFileMetricExporter;
import io.memtrace.agent.pipeline.HealthCounters;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.exporter.logging.LoggingMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.internal.SdkMeterProviderUtil;
import io.opentelemetry.sdk.metrics.internal.exemplar.ExemplarFilter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The SDK meter provider and its readers: {@code OTEL_METRICS_EXPORTER} (otlp, console, none) and
 * {@code MEMTRACE_METRICS_FILE}, each read every {@code OTEL_METRIC_EXPORT_INTERVAL} ms.
 */
public final class MetricsPipeline {

  private final SdkMeterProvider provider;
  private final MemoryMetrics metrics;
  private final String description;

  private MetricsPipeline(SdkMeterProvider provider, MemoryMetrics metrics, String description) {
    this.provider = provider;
    this.metrics = metrics;
    this.description = description;
  }

  public static MetricsPipeline create(OtelSettings settings, Resource resource, HealthCounters health, String version) {
    long interval = settings.millis("otel.metric.export.interval", 60_000);
    SdkMeterProviderBuilder builder = SdkMeterProvider.builder().setResource(resource);
    // metrics are recorded on the consumer thread, where no span is ever current: the default
    // trace-based exemplar filter would only look the context up on every record and find nothing
    SdkMeterProviderUtil.setExemplarFilter(builder, ExemplarFilter.alwaysOff());
    StringBuilder names = new StringBuilder();
    for (String raw : settings.get("otel.metrics.exporter", "otlp").split(",")) {
      String kind = raw.trim().toLowerCase(Locale.ROOT);
      MetricExporter exporter;
      switch (kind) {
        case "otlp":
          exporter = OtlpHttpMetricExporter.create(settings, metricsEndpoint(settings));
          break;
        case "console":
        case "logging":
          exporter = LoggingMetricExporter.create();
          break;
        case "none":
        case "":
          continue;
        default:
          AgentLog.warn("OTEL_METRICS_EXPORTER '" + kind + "' is not supported by memtrace (use otlp, console or none); it is ignored");
          continue;
      }
      builder.registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofMillis(interval)).build());
      names.append(names.length() == 0 ? "" : ", ").append(kind);
    }
    String file = settings.memtrace("MEMTRACE_METRICS_FILE");
    if (file != null) {
      try {
        builder.registerMetricReader(PeriodicMetricReader.builder(new OtlpJsonFileMetricExporter(Paths.get(file)))
            .setInterval(Duration.ofMillis(interval)).build());
        names.append(names.length() == 0 ? "" : ", ").append("file");
      } catch (Exception e) {
        AgentLog.warn("MEMTRACE_METRICS_FILE '" + file + "' cannot be opened for appending (" + e + "); metrics are not written to a file");
      }
    }
    SdkMeterProvider provider = builder.build();
    MemoryMetrics metrics = new MemoryMetrics(provider.meterBuilder("io.memtrace").setInstrumentationVersion(version).build(), health);
    return new MetricsPipeline(provider, metrics, names.length() == 0 ? "none" : names.toString());
  }

  static String metricsEndpoint(OtelSettings settings) {
    String specific = settings.get("otel.exporter.otlp.metrics.endpoint");
    if (specific != null) {
      return specific;
    }
    String base = settings.get("otel.exporter.otlp.endpoint", "http://localhost:4318");
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/v1/metrics";
  }

  public MemoryMetrics metrics() {
    return metrics;
  }

  public String describe() {
    return description;
  }

  /** Exports what was recorded and closes the readers, within {@code timeoutMillis}. */
  public void shutdown(long timeoutMillis) {
    provider.forceFlush().join(timeoutMillis, TimeUnit.MILLISECONDS);
    provider.shutdown().join(Math.max(1, timeoutMillis / 2), TimeUnit.MILLISECONDS);
  }
}
