package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import org.junit.jupiter.api.Test;

/**
 * memtrace's own threads while nothing is published: the consumer and the start-up overflow thread park idle
 * ({@link IdleWake}) rather than waking every few milliseconds, and a publication still reaches the exporter. They
 * parked about 125 and 200 times in an idle second before (8 and 5 ms parks).
 */
class IdleWakeTest {

  private static final long IDLE_MILLIS = 1_000;
  /** An idle park is 100 ms: ten a second, plus the few short ones before the thread counts the ring as quiet. */
  private static final long MOST_PARKS = 30;

  private final SpanRing ring = SpanRing.create(64);
  private final HealthCounters counters = new HealthCounters();
  private final GatedExporter exporter = GatedExporter.open();

  @Test
  void shouldParkTheConsumerIdleWhileNothingIsPublishedAndWakeItForAPublication() throws Exception {
    SpanConsumer consumer = PipelineFixture.consumer(ring, exporter, counters, 2);
    consumer.start();
    Thread.sleep(IDLE_MILLIS);
    long idleParks = consumer.parks();

    PipelineFixture.publishGet(ring);
    PipelineFixture.publishGet(ring);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (exporter.received.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    consumer.drainAndStop(5_000);

    assertThat(idleParks).as("the consumer's parks in an idle second").isPositive().isLessThan(MOST_PARKS);
    assertThat(exporter.received).as("the events published after the idle second").hasSize(2);
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void shouldParkTheOverflowThreadIdleWhileNothingIsPublished() throws Exception {
    StartupOverflow overflow = StartupOverflow.start(ring, 1_000);
    Thread.sleep(IDLE_MILLIS);
    long idleParks = overflow.parks();
    overflow.discard();

    assertThat(idleParks).as("the overflow thread's parks in an idle second").isPositive().isLessThan(MOST_PARKS);
  }
}
