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

/**
 * The consumer in front of an exporter that stops answering: how its batch grows, what it holds,
 * when it lets go, and how the batch shrinks back. Batches of 2 may grow to 16; the ring has 64 slots.
 */
class SpanConsumerTest {

  /** An exporter whose exports stay in flight until the test completes them. */
  private static final class StalledExporter implements SpanExporter {
    final List<CompletableResultCode> pending = new ArrayList<>();
    final List<Integer> batchSizes = new ArrayList<>();
    int spans;

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans += batch.size();
      batchSizes.add(batch.size());
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

  /** Publishes {@code n} events one by one, letting the consumer read each: no backlog builds up. */
  private void feedOneByOne(int n) {
    for (int i = 0; i < n; i++) {
      publishGets(1);
      pollUntilIdle();
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

  /** Four exports of 2 in flight, then a batch grown 2, 4, 8, 16 and held full: 24 events read. */
  private void stallWithAFullGrownBatch() {
    feedOneByOne(24);
    assertThat(exporter.pending).as("the most exports in flight").hasSize(PipelineFixture.MAX_IN_FLIGHT);
    assertThat(exporter.batchSizes).as("exports of the configured size while there was room")
        .containsExactly(2, 2, 2, 2);
    assertThat(waiting()).as("every event was read into the grown batch").isZero();
  }

  @Test
  void shouldGrowTheBatchThenHoldItWhileTheExporterIsBehindAndTheRingHasRoom() {
    stallWithAFullGrownBatch();

    publishGets(5);
    pollUntilIdle();
    assertThat(waiting()).as("the grown batch is at its cap: new events wait in the ring").isEqualTo(5);
    assertThat(counters.dropped.get()).isZero();

    exporter.answerAll();
    pollUntilIdle();

    assertThat(exporter.batchSizes).as("the held batch went out whole once there was room")
        .containsExactly(2, 2, 2, 2, 16);
    assertThat(waiting()).isZero();
    assertThat(counters.exported.get()).isEqualTo(8);
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void shouldShrinkBackToTheConfiguredSizeOnceCaughtUp() {
    stallWithAFullGrownBatch();
    exporter.answerAll();
    pollUntilIdle(); // the held 16 go out; nothing waits, so the next batch is half as large

    feedOneByOne(8 + 4 + 2);
    exporter.answerAll();
    feedOneByOne(2);
    exporter.answerAll();

    assertThat(exporter.batchSizes).containsExactly(2, 2, 2, 2, 16, 8, 4, 2, 2);
    assertThat(counters.exported.get()).isEqualTo(8 + 16 + 8 + 4 + 2 + 2);
  }

  @Test
  void shouldGrowTheNextBatchWhileABacklogWaitsInTheRing() {
    publishGets(30);
    pollUntilIdle();

    assertThat(exporter.batchSizes).as("each export leaves at least a batch waiting: the next doubles")
        .containsExactly(2, 4, 8, 16);
    assertThat(waiting()).isZero();
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void shouldDropBatchesOnceHalfTheRingIsWaitingSoTheConsumerKeepsUp() {
    stallWithAFullGrownBatch();

    publishGets(40);
    pollUntilIdle();

    assertThat(counters.dropped.get()).as("the held batch was handed over with the exporter behind: dropped, counted")
        .isEqualTo(16);
    assertThat(waiting()).as("it read a grown batch more and holds again under half the ring")
        .isEqualTo(40 - 16);
    assertThat(exporter.spans).as("nothing more reached the stalled exporter").isEqualTo(8);

    for (int i = 0; i < 20 && waiting() > 0; i++) { // the exporter answers again
      exporter.answerAll();
      pollUntilIdle();
    }
    feedOneByOne(16 - (64 - 40 - 16) % 16); // tops the last batch up to a full one (no flush in a unit test)
    exporter.answerAll();

    assertThat(waiting()).isZero();
    assertThat(counters.exported.get() + counters.dropped.get()).as("every span exported or counted as dropped")
        .isEqualTo(exporter.spans + 16);
  }
}
