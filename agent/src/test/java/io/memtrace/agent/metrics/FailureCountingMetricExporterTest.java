package io.memtrace.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FailureCountingMetricExporterTest {

  private final HealthCounters health = new HealthCounters();

  private FailureCountingMetricExporter exporter(Supplier<CompletableResultCode> outcome) {
    return new FailureCountingMetricExporter("otlp", new MetricExporter() {
      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        return outcome.get();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return AggregationTemporality.CUMULATIVE;
      }
    }, health);
  }

  @Test
  void shouldCountFailedExportWhenItCompletes() {
    CompletableResultCode pending = new CompletableResultCode();
    CompletableResultCode result = exporter(() -> pending).export(List.of());

    assertThat(health.exportFailures.get()).isZero();
    pending.failExceptionally(new java.io.IOException("connection refused"));

    assertThat(result.isSuccess()).isFalse();
    assertThat(health.exportFailures.get()).isEqualTo(1);
  }

  @Test
  void shouldCountExporterThatThrowsAsFailureWithoutPassingTheExceptionOn() {
    CompletableResultCode result = exporter(() -> {
      throw new IllegalStateException("broken");
    }).export(List.of());

    assertThat(result.isSuccess()).isFalse();
    assertThat(health.exportFailures.get()).isEqualTo(1);
  }

  @Test
  void shouldNotCountSuccessfulExport() {
    exporter(CompletableResultCode::ofSuccess).export(List.of());

    assertThat(health.exportFailures.get()).isZero();
  }
}
