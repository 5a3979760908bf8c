package io.memtrace.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A Redis client memtrace does not trace is named in the health metric and the shutdown summary, never silent. */
class UntracedClientsMetricTest {

  @Test
  void shouldNameEachUntracedClientOnceInTheMetricAndTheSummary() {
    HealthCounters health = new HealthCounters();
    Reader reader = new Reader();
    try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      new MemoryMetrics(provider.get("test"), health);
      assertThat(untraced(reader)).as("no point while every client is traced").isEmpty();
      assertThat(health.summary()).doesNotContain("untraced");

      health.untraced("Lettuce 8.0.0");
      health.untraced("Redisson 2.15.2");
      health.untraced("Lettuce 8.0.0");

      assertThat(untraced(reader)).containsExactlyInAnyOrder("Lettuce 8.0.0=1", "Redisson 2.15.2=1");
      assertThat(health.summary()).endsWith(" untraced Redis clients: Lettuce 8.0.0, Redisson 2.15.2");
    }
  }

  private static List<String> untraced(Reader reader) {
    return reader.registration.collectAllMetrics().stream()
        .filter(m -> m.getName().equals("memtrace.redis.clients.untraced"))
        .map(MetricData::getLongGaugeData)
        .flatMap(data -> data.getPoints().stream())
        .map(UntracedClientsMetricTest::point)
        .collect(Collectors.toList());
  }

  private static String point(LongPointData point) {
    return point.getAttributes().asMap().values().iterator().next() + "=" + point.getValue();
  }

  /** Collects on demand, as a periodic reader would at each interval. */
  private static final class Reader implements MetricReader {
    CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
