package io.memtrace.agent.pipeline;

import io.memtrace.agent.health.HealthCounters;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shutdown reaches the consumer through the ring: the consumer thread alone touches its batch and
 * calls the exporters, and a consumer that does not finish in time is given up on and its events
 * counted, never handled by the shutdown thread.
 */
class SpanConsumerShutdownTest {

  /**
   * A Jedis {@code Rawable} stand-in whose first {@code getRaw()} blocks until released, as a slow
   * getter of the application would while the consumer builds a span from it.
   */
  public static final class SlowRawable {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    public byte[] getRaw() {
      if (entered.getCount() > 0) {
        entered.countDown();
        awaitQuietly(release);
      }
      return PipelineFixture.GET;
    }
  }

  private final SpanRing spanRing = SpanRing.create(64);
  private final HealthCounters counters = new HealthCounters();
  private SpanConsumer consumer;
  private Thread consumerThread;
  private GatedExporter exporter;

  private void startConsumer(GatedExporter gated) {
    exporter = gated;
    consumer = PipelineFixture.consumer(spanRing, gated, counters, 2);
    consumerThread = consumer.start();
  }

  @AfterEach
  void releaseEverything() throws InterruptedException {
    if (exporter != null) {
      exporter.release.countDown();
    }
    if (consumerThread != null) {
      consumerThread.join(5_000);
    }
  }

  private boolean publish(Object command) {
    return PipelineFixture.publishCommand(spanRing, command);
  }

  private void publishGets(int n) {
    for (int i = 0; i < n; i++) {
      assertThat(PipelineFixture.publishGet(spanRing)).as("the ring has room").isTrue();
    }
  }

  /** A consumer held inside its first export, and a ring filled behind it; returns the events published. */
  private int fillTheRingBehindAStuckExport() throws InterruptedException {
    startConsumer(GatedExporter.holdingFirstExport());
    publishGets(2);
    assertThat(exporter.firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    int published = 2;
    while (PipelineFixture.publishGet(spanRing)) {
      published++;
    }
    return published;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shouldExportWhatWasPublishedBeforeShutdownOnTheConsumerThreadAndStopIt() throws Exception {
    startConsumer(GatedExporter.open());
    publishGets(5);

    consumer.drainAndStop(5_000);
    consumerThread.join(5_000); // it acknowledged before its last instruction

    assertThat(consumerThread.isAlive()).as("the consumer ended at the marker").isFalse();
    assertThat(exporter.spans.get()).as("every span, the last odd one included").isEqualTo(5);
    assertThat(exporter.callers).isNotEmpty().allMatch("memtrace-consumer"::equals);
    assertThat(exporter.shutdownCaller).as("the exporters are shut down by their owner").isEqualTo("memtrace-consumer");
    assertThat(counters.exported.get()).isEqualTo(5);
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void shouldGiveUpAndCountWhatIsLeftWithoutTouchingTheBatchWhenTheConsumerIsStuckInAnExporter()
      throws Exception {
    startConsumer(GatedExporter.holdingFirstExport());
    publishGets(2); // a full batch: the consumer exports it and is held inside the exporter
    assertThat(exporter.firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    publishGets(3);

    consumer.drainAndStop(300);

    // the export is held until released (or for 30 s): a shutdown that waited for it would return only after it
    assertThat(exporter.firstLeft.getCount()).as("shutdown gave up while the export was still held").isEqualTo(1);
    assertThat(exporter.callers).as("only the consumer thread ever exported").containsExactly("memtrace-consumer");
    assertThat(counters.dropped.get()).as("the three events it never read").isEqualTo(3);
    assertThat(counters.exportFailures.get()).as("the export it is stuck in").isEqualTo(1);
    assertThat(counters.spansInFailedExports.get()).isEqualTo(2);

    exporter.release.countDown();
    consumerThread.join(10_000);

    assertThat(consumerThread.isAlive()).as("once free, the consumer sees it was given up on and ends").isFalse();
    assertThat(exporter.callers).as("and exports nothing the shutdown already counted").hasSize(1);
    assertThat(counters.exported.get() + counters.dropped.get() + counters.spansInFailedExports.get())
        .as("every event counted exactly once").isEqualTo(5);
  }

  @Test
  void shouldGiveUpWithoutHandlingAnEventWhenTheConsumerIsStuckBuildingASpan() throws Exception {
    SlowRawable slow = new SlowRawable();
    startConsumer(GatedExporter.open());
    assertThat(publish(List.of(slow, PipelineFixture.KEY))).isTrue();
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
    publishGets(2);

    consumer.drainAndStop(300);

    assertThat(exporter.callers).as("nothing was exported, by any thread").isEmpty();
    assertThat(counters.dropped.get()).as("the event being built and the two behind it").isEqualTo(3);

    slow.release.countDown();
    consumerThread.join(10_000);

    assertThat(consumerThread.isAlive()).isFalse();
    assertThat(exporter.callers).as("the batch it finished later was already counted").isEmpty();
    assertThat(counters.exported.get()).isZero();
  }

  @Test
  void shouldGetTheMarkerThroughARingThatIsFullWhenShutdownBegins() throws Exception {
    int published = fillTheRingBehindAStuckExport();
    Thread hook = new Thread(() -> consumer.drainAndStop(10_000), "test-shutdown-hook");
    hook.start();
    // its only timed wait before the marker is in is the retry of a full ring
    while (hook.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    exporter.release.countDown();
    hook.join(20_000);
    consumerThread.join(5_000);

    assertThat(hook.isAlive()).isFalse();
    assertThat(consumerThread.isAlive()).isFalse();
    assertThat(counters.dropped.get()).isZero();
    assertThat(exporter.spans.get()).as("everything published before the shutdown").isEqualTo(published);
    assertThat(counters.exported.get()).isEqualTo(published);
  }

  @Test
  void shouldCountEverythingWhenTheRingStaysFullAndTheConsumerStuckUntilTheDeadline() throws Exception {
    int published = fillTheRingBehindAStuckExport();

    consumer.drainAndStop(300);

    assertThat(counters.spansInFailedExports.get()).as("the batch stuck in the exporter").isEqualTo(2);
    assertThat(counters.dropped.get()).as("all the rest").isEqualTo(published - 2);
  }

  @Test
  void shouldCountEventsPublishedAfterTheMarkerAsDropped() throws Exception {
    startConsumer(GatedExporter.open());
    publishGets(3);
    consumer.drainAndStop(5_000);
    publishGets(4); // an application thread still running while the JVM exits

    consumer.countEventsAfterStop();

    assertThat(counters.exported.get()).isEqualTo(3);
    assertThat(counters.dropped.get()).isEqualTo(4);
  }

  @Test
  void shouldCountOnlyTheSpansAmongTheEventsPublishedAfterTheMarker() throws Exception {
    startConsumer(GatedExporter.open());
    publishGets(3);
    consumer.drainAndStop(5_000);
    // a client still talking to its servers while the JVM exits: its connection work, a command's end whose start
    // was read before the marker, a method's start; none of them is a span
    publish(SpanEvent.Type.REDIS_SET_UP, false);
    publish(SpanEvent.Type.REDIS_COMMAND_START, true);
    publish(SpanEvent.Type.REDIS_COMMAND_END, false);
    publish(SpanEvent.Type.METHOD_START, false);
    // and what would have been spans: a dispatched command's start, a method's end
    publish(SpanEvent.Type.REDIS_COMMAND_START, false);
    publish(SpanEvent.Type.METHOD_END, false);

    consumer.countEventsAfterStop();

    assertThat(counters.exported.get()).isEqualTo(3);
    assertThat(counters.dropped.get()).isEqualTo(2);
  }

  private void publish(SpanEvent.Type type, boolean handshake) {
    assertThat(spanRing.buffer.tryPublishEvent((event, sequence) -> {
      event.type = type;
      event.handshake = handshake;
      event.arguments = null;
    })).isTrue();
  }
}
