package io.memtrace.agent.metrics;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.OtelSettings;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.export.OtlpHttpMetricExporter;
import io.memtrace.agent.export.OtlpJsonFileMetricExporter;
import io.memtrace.agent.export.OtlpTarget;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.exporter.logging.LoggingMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.internal.SdkMeterProviderUtil;
import io.opentelemetry.sdk.metrics.internal.exemplar.ExemplarFilter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The SDK meter provider and its readers: {@code OTEL_METRICS_EXPORTER} (otlp, console, none) and
 * {@code MEMTRACE_METRICS_FILE}, each read every {@code OTEL_METRIC_EXPORT_INTERVAL} ms.
 */
public final class MetricsPipeline {

  private final SdkMeterProvider provider;
  private final MemoryMetrics metrics;
  private final String description;
  /** Whether memtrace built the provider, and so shuts it down; a host's provider is only flushed. */
  private final boolean owned;
  /** Its exporters' exports, when memtrace built them; null on a host's provider. */
  private final MetricExports exports;

  private MetricsPipeline(SdkMeterProvider provider, MemoryMetrics metrics, String description, boolean owned,
      MetricExports exports) {
    this.provider = provider;
    this.metrics = metrics;
    this.description = description;
    this.owned = owned;
    this.exports = exports;
  }

  /**
   * memtrace's metrics on a meter provider another agent owns (the OpenTelemetry Java agent's, in
   * extension mode): that provider's readers and exporters send them, with its resource.
   */
  public static MetricsPipeline onto(SdkMeterProvider host, HealthCounters health, String version, String description) {
    MemoryMetrics metrics = new MemoryMetrics(host.meterBuilder("io.memtrace").setInstrumentationVersion(version).build(), health);
    return new MetricsPipeline(host, metrics, description, false, null);
  }

  public static MetricsPipeline create(MemtraceConfig config, Resource resource, HealthCounters health, String version) {
    Duration interval = Duration.ofMillis(config.get(OtelSettings.METRIC_EXPORT_INTERVAL));
    SdkMeterProviderBuilder builder = SdkMeterProvider.builder().setResource(resource);
    // metrics are recorded on the consumer thread, where no span is ever current: the default
    // trace-based exemplar filter would only look the context up on every record and find nothing
    SdkMeterProviderUtil.setExemplarFilter(builder, ExemplarFilter.alwaysOff());
    StringBuilder names = new StringBuilder();
    MetricExports exports = new MetricExports();
    for (String kind : config.get(OtelSettings.METRICS_EXPORTER)) {
      MetricExporter exporter;
      switch (kind) {
        case "otlp":
          exporter = OtlpHttpMetricExporter.create(OtlpTarget.of(config, OtelSettings.Signal.METRICS));
          break;
        case "console":
        case "logging":
          exporter = LoggingMetricExporter.create();
          break;
        default: // none
          continue;
      }
      register(builder, new FailureCountingMetricExporter(kind, exporter, health, exports), interval);
      names.append(names.length() == 0 ? "" : ", ").append(kind);
    }
    String file = config.get(Settings.METRICS_FILE);
    if (file != null) {
      try {
        MetricExporter exporter = new OtlpJsonFileMetricExporter(Paths.get(file));
        register(builder, new FailureCountingMetricExporter("file", exporter, health, exports), interval);
        names.append(names.length() == 0 ? "" : ", ").append("file");
      } catch (Exception e) {
        AgentLog.warn("MEMTRACE_METRICS_FILE '" + file + "' cannot be opened for appending (" + e + "); metrics are not written to a file");
      }
    }
    SdkMeterProvider provider = builder.build();
    MemoryMetrics metrics = new MemoryMetrics(provider.meterBuilder("io.memtrace").setInstrumentationVersion(version).build(), health);
    return new MetricsPipeline(provider, metrics, names.length() == 0 ? "none" : names.toString(), true, exports);
  }

  private static void register(SdkMeterProviderBuilder builder, MetricExporter exporter, Duration interval) {
    builder.registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(interval).build());
  }

  public MemoryMetrics metrics() {
    return metrics;
  }

  public String describe() {
    return description;
  }

  /** {@link #shutdown}'s last export: sent and answered with success. */
  public static final String SENT = "sent";
  /** {@link #shutdown}'s last export: reached the exporter, which reported a failure. */
  public static final String FAILED = "failed";
  /** {@link #shutdown}'s last export: not finished within the shutdown budget. */
  public static final String UNFINISHED = "not finished within the shutdown budget";

  /**
   * Exports what was recorded and closes the readers, within {@code timeoutMillis}; a host's
   * provider is flushed and left open for its owner to close.
   *
   * @return what became of the last export: {@link #SENT}, {@link #FAILED} or {@link #UNFINISHED}; {@link #SENT}
   *     for a host's provider, whose exporters are its owner's to report on
   */
  public String shutdown(long timeoutMillis) {
    String last = SENT;
    if (exports == null) {
      provider.forceFlush().join(timeoutMillis, TimeUnit.MILLISECONDS);
    } else {
      last = flush(provider, exports, timeoutMillis);
    }
    if (owned) {
      provider.shutdown().join(Math.max(1, timeoutMillis / 2), TimeUnit.MILLISECONDS);
    }
    return last;
  }

  /**
   * The last export of {@code provider}'s readers, within {@code timeoutMillis}: the export in flight finishes first
   * (a flush that finds one is dropped, see {@link MetricExports}), and a flush that reached no exporter, one begun
   * just as a periodic export started, is asked again. One that reached an exporter is not, whatever its outcome: a
   * collector that is down is tried once, as before.
   */
  static String flush(SdkMeterProvider provider, MetricExports exports, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      exports.awaitIdle(deadline);
      long started = exports.started();
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return UNFINISHED;
      }
      // the SDK completes a flush once its export ended, whatever the export's outcome, and fails one only when it
      // found an export in flight (none started) or the wait ran out
      CompletableResultCode flushed = provider.forceFlush().join(left, TimeUnit.MILLISECONDS);
      if (flushed.isSuccess()) {
        // no export began: nothing was recorded since the last one, or no reader exports (nothing lost either way)
        return exports.started() == started || exports.lastSucceeded() ? SENT : FAILED;
      }
      if (exports.started() != started) {
        return UNFINISHED;
      }
    }
  }
}
