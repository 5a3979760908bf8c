package io.memtrace.agent.pipeline;

import io.memtrace.agent.health.HealthCounters;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The consumer in front of an exporter that stops answering: what it holds, and when it lets go. */
class SpanConsumerTest {

  /** An exporter whose exports stay in flight until the test completes them. */
  private static final class StalledExporter implements SpanExporter {
    final List<CompletableResultCode> pending = new ArrayList<>();
    int spans;

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans += batch.size();
      CompletableResultCode result = new CompletableResultCode();
      pending.add(result);
      return result;
    }

    void answerAll() {
      List<CompletableResultCode> answered = new ArrayList<>(pending);
      pending.clear();
      answered.forEach(CompletableResultCode::succeed);
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private final SpanRing spanRing = SpanRing.create(64);
  private final HealthCounters counters = new HealthCounters();
  private final StalledExporter exporter = new StalledExporter();
  private final SpanConsumer consumer = PipelineFixture.consumer(spanRing, exporter, counters, 2);

  private void publishGets(int n) {
    for (int i = 0; i < n; i++) {
      assertThat(PipelineFixture.publishGet(spanRing)).as("the ring has room").isTrue();
    }
  }

  private void pollUntilIdle() {
    while (consumer.pollOnce() > 0) {
      // keep going
    }
  }

  private long waiting() {
    return spanRing.unconsumed();
  }

  @Test
  void holdsItsBatchWhileTheExporterIsBehindAndTheRingHasRoom() {
    publishGets(10);

    pollUntilIdle();

    assertThat(exporter.pending).as("the most exports in flight").hasSize(4);
    assertThat(exporter.spans).isEqualTo(8);
    assertThat(waiting()).as("every event was read; the last batch is held").isZero();
    assertThat(counters.dropped.get()).isZero();

    exporter.answerAll();
    publishGets(1);
    pollUntilIdle();

    assertThat(exporter.spans).as("the held batch went out once there was room").isEqualTo(10);
    assertThat(counters.exported.get()).isEqualTo(8);
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void dropsBatchesOnceHalfTheRingIsWaitingSoTheConsumerKeepsUp() {
    publishGets(10);
    pollUntilIdle(); // four exports in flight and a held batch, as above

    publishGets(40);
    pollUntilIdle();

    assertThat(counters.dropped.get()).as("batches handed over while the exporter is behind are dropped, counted")
        .isPositive();
    assertThat(waiting()).as("it read down to half the ring and holds again there")
        .isLessThan(32).isGreaterThanOrEqualTo(30);
    assertThat(exporter.spans).as("nothing more reached the stalled exporter").isEqualTo(8);

    for (int i = 0; i < 20 && waiting() > 0; i++) { // the exporter answers again, four exports at a time
      exporter.answerAll();
      pollUntilIdle();
    }

    assertThat(waiting()).isZero();
    assertThat(exporter.spans).as("after the stall, the rest went to the exporter").isGreaterThan(8);
    exporter.answerAll(); // the last exports in flight
    assertThat(counters.exported.get() + counters.dropped.get()).as("every span exported or counted as dropped")
        .isEqualTo(50); // 25 full batches of 2
  }
}
