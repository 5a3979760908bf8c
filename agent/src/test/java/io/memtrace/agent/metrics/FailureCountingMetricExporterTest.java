package io.memtrace.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FailureCountingMetricExporterTest {

  private final HealthCounters health = new HealthCounters();

  private FailureCountingMetricExporter exporter(Supplier<CompletableResultCode> outcome) {
    return new FailureCountingMetricExporter("otlp", new StubMetricExporter() {
      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        return outcome.get();
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
