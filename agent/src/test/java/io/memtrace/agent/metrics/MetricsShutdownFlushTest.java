package io.memtrace.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The flush at shutdown when a periodic export is still on the wire: the SDK's reader drops a flush that finds it
 * busy, so a plain flush sent nothing more and the JVM's exit cut the export in flight off (EndToEndIT once received
 * no metrics at all). {@link MetricsPipeline#flush} lets that export finish and then exports the latest values.
 */
class MetricsShutdownFlushTest {

  /** An exporter whose first export stays in flight until {@code first} completes; it notes each export's values. */
  private static class SlowFirst extends StubMetricExporter {
    final CompletableResultCode first = new CompletableResultCode();
    final List<Long> exported = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      long sum = metrics.stream().flatMap(m -> m.getLongSumData().getPoints().stream()).mapToLong(p -> p.getValue()).sum();
      exported.add(sum);
      return exported.size() == 1 ? first : CompletableResultCode.ofSuccess();
    }
  }

  private final SlowFirst slow = new SlowFirst();
  private final MetricExports exports = new MetricExports();
  private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(PeriodicMetricReader
      .builder(new FailureCountingMetricExporter("test", slow, new HealthCounters(), exports))
      .setInterval(Duration.ofHours(1)).build()).build();

  @Test
  void shouldExportTheLatestValuesAfterTheExportInFlight() throws Exception {
    var counter = provider.get("test").counterBuilder("memtrace.events.dropped").build();
    counter.add(1);
    provider.forceFlush(); // the "periodic" export: in flight, and stays so for a while
    assertThat(slow.exported).containsExactly(1L);
    counter.add(2);
    Thread release = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      slow.first.succeed();
    });
    release.start();
    assertThat(provider.forceFlush().isSuccess()).as("what a plain flush meets: the reader is busy").isFalse();

    // an hour's budget: the flush waits for the release, whatever the machine's load
    assertThat(MetricsPipeline.flush(provider, exports, 3_600_000)).isEqualTo(MetricsPipeline.SENT);

    release.join();
    assertThat(slow.exported).as("the export in flight, then the last values").containsExactly(1L, 3L);
  }

  @Test
  void shouldSayNothingWasLostWhenNothingWasLeftToExport() {
    provider.forceFlush(); // nothing recorded: the reader exports nothing

    assertThat(MetricsPipeline.flush(provider, exports, 3_600_000)).isEqualTo(MetricsPipeline.SENT);
    assertThat(exports.started()).isZero();
  }

  @Test
  void shouldSayTheLastExportWasUnfinishedWhenTheBudgetRanOutFirst() {
    provider.get("test").counterBuilder("memtrace.events.dropped").build().add(1);
    provider.forceFlush(); // in flight, never answered

    assertThat(MetricsPipeline.flush(provider, exports, 200)).isEqualTo(MetricsPipeline.UNFINISHED);
  }

  // a budget of an hour: a flush that waited it out would stop on the hang guard, while one that returns once the
  // exporter answered passes at any machine speed (a 3 s budget compared with the time taken broke under load)
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void shouldNotAskAgainAFlushThatReachedAFailingExporter() {
    MetricExports counted = new MetricExports();
    List<Integer> calls = new CopyOnWriteArrayList<>();
    SdkMeterProvider failing = SdkMeterProvider.builder().registerMetricReader(PeriodicMetricReader.builder(
        new FailureCountingMetricExporter("down", new SlowFirst() {
          @Override
          public CompletableResultCode export(Collection<MetricData> metrics) {
            calls.add(1);
            return CompletableResultCode.ofFailure(); // a collector that is down
          }
        }, new HealthCounters(), counted)).setInterval(Duration.ofHours(1)).build()).build();
    failing.get("test").counterBuilder("c").build().add(1);

    assertThat(MetricsPipeline.flush(failing, counted, 3_600_000)).as("said, for the exit's warning")
        .isEqualTo(MetricsPipeline.FAILED);

    assertThat(calls).as("tried once, as before").hasSize(1);
  }
}
