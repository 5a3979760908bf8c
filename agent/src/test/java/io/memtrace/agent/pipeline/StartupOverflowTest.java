package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The room beyond the ring while the consumer is built: events move out of a crowded ring into held copies, the
 * consumer handles them first and in order, then takes the ring over; the room is bounded, the shutdown marker
 * and what follows it stay in the ring, and every event is exported once. The ring has 64 slots, so events move
 * once more than 16 are in it.
 */
class StartupOverflowTest {

  private final SpanRing ring = SpanRing.create(64);
  private final HealthCounters counters = new HealthCounters();
  private final GatedExporter exporter = GatedExporter.open();
  private SpanConsumer consumer;
  private Thread consumerThread;

  @AfterEach
  void stop() throws InterruptedException {
    if (consumerThread != null) {
      consumerThread.join(5_000);
    }
  }

  private void publishGets(int n) {
    for (int i = 0; i < n; i++) {
      assertThat(PipelineFixture.publishGet(ring)).as("the ring has room").isTrue();
    }
  }

  /** Publishes {@code n} events, waiting while the ring is full: an application would drop those, this counts. */
  private void publishPatiently(int n) {
    int published = 0;
    while (published < n) {
      if (PipelineFixture.publishGet(ring)) {
        published++;
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private SpanConsumer consumerAfter(StartupOverflow overflow) {
    consumer = PipelineFixture.consumer(ring, exporter, counters, 2).overflowFirst(overflow);
    return consumer;
  }

  /** The span ids exported, in order: {@link PipelineFixture#publishCommand} gives the event of sequence s id s + 1. */
  private List<Long> exportedIds() {
    return exporter.received.stream().map(SpanData::getSpanId).map(id -> Long.parseUnsignedLong(id, 16))
        .collect(Collectors.toList());
  }

  private static List<Long> idsThrough(long n) {
    return LongStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
  }

  @Test
  void shouldMoveNothingWhileTheRingIsNotCrowded() {
    StartupOverflow overflow = new StartupOverflow(ring, 1_000);
    publishGets(16);

    assertThat(overflow.moveOut()).isZero();
    assertThat(ring.unconsumed()).isEqualTo(16);
  }

  @Test
  void shouldHoldWhatTheRingHasNoRoomForAndHaveTheConsumerHandleItFirstInOrder() {
    StartupOverflow overflow = new StartupOverflow(ring, 1_000);
    publishGets(64);
    assertThat(PipelineFixture.publishGet(ring)).as("the ring is full").isFalse();
    assertThat(overflow.moveOut()).isEqualTo(64);
    assertThat(ring.unconsumed()).as("their slots are free again").isZero();
    publishGets(64);
    assertThat(overflow.moveOut()).isEqualTo(64);
    publishGets(30); // these stay in the ring: the consumer reads them there once it took it over

    consumerAfter(overflow);
    while (consumer.pollOnce() > 0) {
      // keep going
    }

    assertThat(exportedIds()).as("every event, the held ones first, in the order published").isEqualTo(idsThrough(158));
    assertThat(ring.unconsumed()).isZero();
    assertThat(overflow.describe()).isEqualTo("128 of 1000");
    assertThat(counters.produced.get()).isEqualTo(158);
    assertThat(counters.exported.get()).isEqualTo(158);
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void shouldMoveEveryEventOnceTheConsumerRunsAndKeepHoldingThroughItsWarmUp() throws Exception {
    StartupOverflow moving = new StartupOverflow(ring, 1_000);
    moving.consumerStarted();
    publishGets(3);
    assertThat(moving.moveOut()).as("a cold consumer reads copies, however few wait").isEqualTo(3);

    StartupOverflow running = StartupOverflow.start(ring, 1_000);
    running.consumerStarted();
    try {
      assertThat(running.handOver()).as("within the warm-up the thread goes on").isFalse();
    } finally {
      running.discard();
    }
    assertThat(running.handOver()).as("once it is gone, the ring is the consumer's").isTrue();
  }

  @Test
  void shouldHoldNoMoreThanItsCapacityAndLeaveTheRestToTheRing() {
    StartupOverflow overflow = new StartupOverflow(ring, 100);
    publishGets(64);
    assertThat(overflow.moveOut()).isEqualTo(64);
    publishGets(64);

    assertThat(overflow.moveOut()).as("the room left").isEqualTo(36);
    assertThat(overflow.moveOut()).as("none once full").isZero();
    assertThat(ring.unconsumed()).isEqualTo(28);
    publishGets(36);
    assertThat(PipelineFixture.publishGet(ring)).as("then the ring fills, and drops as always").isFalse();
  }

  @Test
  void shouldLeaveTheShutdownMarkerAndWhatFollowsItInTheRing() {
    StartupOverflow overflow = new StartupOverflow(ring, 1_000);
    publishGets(20);
    assertThat(ring.buffer.tryPublishEvent((event, sequence) -> event.type = SpanEvent.Type.SHUTDOWN)).isTrue();
    publishGets(5);

    assertThat(overflow.moveOut()).as("stops at the marker").isEqualTo(-1);
    assertThat(ring.unconsumed()).as("the marker and the five after it").isEqualTo(6);
  }

  @Test
  void shouldExportEveryEventOnceWhenTheApplicationOutrunsTheRingBeforeTheConsumerExistsAndItsThreadHoldsThem()
      throws Exception {
    StartupOverflow overflow = StartupOverflow.start(ring, 10_000);
    publishPatiently(3_000); // a producer far faster than 64 slots can hold across the thread's parks
    consumerAfter(overflow);
    consumerThread = consumer.start();
    publishPatiently(10); // after the consumer started, while it still works through the held events

    consumer.drainAndStop(10_000);
    consumerThread.join(10_000);

    assertThat(overflow.mostHeld()).as("what the ring had no room for before the consumer existed")
        .isGreaterThanOrEqualTo(3_000 - 64);
    assertThat(exportedIds()).as("each event exported once, in order").isEqualTo(idsThrough(3_010));
    assertThat(counters.exported.get()).isEqualTo(3_010);
    assertThat(counters.dropped.get() + counters.spansInFailedExports.get()).isZero();
    assertThat(counters.produced.get()).isEqualTo(counters.exported.get() + counters.compressed.get());
  }

  @Test
  void shouldStopItsThreadAndLetTheEventsGoWhenDiscarded() throws Exception {
    StartupOverflow overflow = StartupOverflow.start(ring, 1_000);
    publishGets(64);
    while (ring.unconsumed() > 16) {
      Thread.sleep(1);
    }

    overflow.discard();

    assertThat(overflow.handOver()).as("its thread is gone").isTrue();
    assertThat(overflow.take()).as("nothing held any more").isNull();
  }

  @Test
  void shouldCopyEveryFieldOfASlot() throws Exception {
    SpanEvent slot = new SpanEvent();
    int n = 1;
    for (Field f : SpanEvent.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      Class<?> type = f.getType();
      Object value = type == long.class ? (Object) (long) n : type == int.class ? (Object) n
          : type == boolean.class ? (Object) true : type == SpanEvent.Type.class ? SpanEvent.Type.REDIS_BATCH
          : type == String.class ? "s" + n : type == Object[].class ? new Object[] {"a" + n} : type == Throwable.class
          ? new IllegalStateException() : (Object) ("o" + n);
      f.set(slot, value);
      n++;
    }

    SpanEvent copy = slot.copy();

    for (Field f : SpanEvent.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      if (f.getType() == Object[].class) {
        assertThat((Object[]) f.get(copy)).as(f.getName()).isNotSameAs(f.get(slot)).containsExactly((Object[]) f.get(slot));
      } else {
        assertThat(f.get(copy)).as(f.getName()).isEqualTo(f.get(slot));
      }
    }
  }
}
