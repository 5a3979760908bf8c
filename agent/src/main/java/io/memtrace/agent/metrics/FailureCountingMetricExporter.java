package io.memtrace.agent.metrics;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/**
 * A metric exporter whose failures are counted in {@code memtrace.export.failures}, as span
 * export failures are, and reported once: the SDK's periodic reader only logs them through
 * java.util.logging, where nobody looks, so without this a metrics endpoint could fail for good
 * unnoticed.
 */
final class FailureCountingMetricExporter implements MetricExporter {

  private final String name;
  private final MetricExporter delegate;
  private final HealthCounters health;
  private final MetricExports exports;

  FailureCountingMetricExporter(String name, MetricExporter delegate, HealthCounters health) {
    this(name, delegate, health, new MetricExports());
  }

  /** @param exports where each export's start and end are noted, for the flush at shutdown */
  FailureCountingMetricExporter(String name, MetricExporter delegate, HealthCounters health, MetricExports exports) {
    this.name = name;
    this.delegate = delegate;
    this.health = health;
    this.exports = exports;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    exports.start();
    CompletableResultCode result;
    try {
      result = delegate.export(metrics);
    } catch (RuntimeException e) {
      result = CompletableResultCode.ofExceptionalFailure(e);
    }
    CompletableResultCode done = result;
    done.whenComplete(() -> {
      exports.end(done.isSuccess());
      if (!done.isSuccess()) {
        health.exportFailures.incrementAndGet();
        AgentLog.warnOnce("metrics-export-" + name, "metrics export (" + delegate + ") failed: "
            + done.getFailureThrowable() + "; failures are counted in memtrace.export.failures and "
            + "not logged again", null);
      }
    });
    return done;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return delegate.getAggregationTemporality(type);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType type) {
    return delegate.getDefaultAggregation(type);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return name + " " + delegate;
  }
}
