package io.memtrace.agent.pipeline;

import io.memtrace.agent.health.HealthCounters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SleepingWaitStrategy;
import io.memtrace.agent.bootstrap.JoinedParent;
import io.memtrace.agent.bootstrap.OtelSpanReader;
import io.memtrace.agent.bootstrap.RedisBatch;
import io.memtrace.agent.bootstrap.ThreadContext;
import io.memtrace.agent.bootstrap.ThreadContextFixture;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application-thread side of the ring. A gating sequence that never advances stands in for a
 * consumer that has fallen behind, so a full ring is reached deterministically, without threads.
 */
class RingPublisherTest {

  private static final int RING_SIZE = 4;

  private RingBuffer<SpanEvent> ring;
  private HealthCounters counters;
  private RingPublisher publisher;
  private final Object connection = new Object();
  private final Object socket = new Object();

  @BeforeEach
  void stalledConsumer() {
    ring = RingBuffer.createMultiProducer(SpanEvent::new, RING_SIZE, new SleepingWaitStrategy());
    ring.addGatingSequences(new Sequence()); // never advances: nothing is ever consumed
    counters = new HealthCounters();
    publisher = new RingPublisher(ring, counters);
  }

  private ThreadContext contextWith(Object command) {
    ThreadContext context = ThreadContextFixture.newContext();
    ThreadContextFixture.stageCommand(context, connection, socket, command, null, 1, "reply", null, 2);
    return context;
  }

  @Test
  void shouldDropAndCountWhenRingIsFull() {
    int attempts = RING_SIZE + 3;
    Object[] commands = new Object[attempts];
    for (int i = 0; i < attempts; i++) {
      commands[i] = new Object();
    }

    assertTimeout(Duration.ofSeconds(5), () -> {
      for (int i = 0; i < attempts; i++) {
        publisher.publishRedisCommand(contextWith(commands[i]));
      }
    }, "publishing must never wait for the consumer");

    assertThat(ring.getCursor()).as("only the first four were published").isEqualTo(RING_SIZE - 1);
    assertThat(ring.remainingCapacity()).isZero();
    assertThat(counters.dropped.get()).isEqualTo(attempts - RING_SIZE);
    for (int i = 0; i < RING_SIZE; i++) {
      assertThat(ring.get(i).type).isEqualTo(SpanEvent.Type.REDIS_COMMAND);
      assertThat(ring.get(i).command).as("slot %d", i).isSameAs(commands[i]);
    }
  }

  @Test
  void shouldMakeACommandWithNoMemtraceParentAChildOfTheCurrentOpenTelemetrySpan() {
    OtelSpanReader.install(new OtelSpanReader() {
      @Override
      protected boolean readCurrent(JoinedParent parent) {
        parent.set(0x0af7L, 0x319cL, 0xb7adL, true);
        return true;
      }
    });
    try {
      publisher.publishRedisCommand(contextWith(new Object()));
    } finally {
      OtelSpanReader.install(null);
    }
    publisher.publishRedisCommand(contextWith(new Object()));

    SpanEvent joined = ring.get(0);
    assertThat(joined.traceIdHigh).isEqualTo(0x0af7L);
    assertThat(joined.traceIdLow).isEqualTo(0x319cL);
    assertThat(joined.parentSpanId).isEqualTo(0xb7adL);
    assertThat(joined.otelParent).as("not a memtrace span that will end").isTrue();
    SpanEvent alone = ring.get(1);
    assertThat(alone.parentSpanId).isZero();
    assertThat(alone.otelParent).isFalse();
    assertThat(alone.traceIdLow).isNotEqualTo(0x319cL);
  }

  @Test
  void shouldDropAndCountBatchesWhenRingIsFull() {
    ThreadContext context = contextWith(new Object());

    for (int i = 0; i < RING_SIZE + 2; i++) {
      publisher.publishRedisBatch(context);
    }

    assertThat(ring.getCursor()).isEqualTo(RING_SIZE - 1);
    assertThat(counters.dropped.get()).isEqualTo(2);
  }

  @Test
  void shouldAddCountedDropsOfHooks() {
    publisher.countDropped(3);
    publisher.countDropped(2);

    assertThat(counters.dropped.get()).isEqualTo(5);
    assertThat(ring.getCursor()).as("nothing published").isEqualTo(-1);
  }

  @Test
  void shouldCopyStagedCommandAndOutcomeIntoSlot() {
    Object command = new Object();
    Object args = new Object();
    Object reply = new Object();
    IllegalStateException error = new IllegalStateException("ERR");
    ThreadContext context = ThreadContextFixture.newContext();
    ThreadContextFixture.stageCommand(context, connection, socket, command, args, 100, reply, error, 200);

    publisher.publishRedisCommand(context);

    SpanEvent event = ring.get(0);
    assertThat(event.type).isEqualTo(SpanEvent.Type.REDIS_COMMAND);
    assertThat(event.command).isSameAs(command);
    assertThat(event.arguments).isSameAs(args);
    assertThat(event.connection).isSameAs(connection);
    assertThat(event.socket).isSameAs(socket);
    assertThat(event.reply).isSameAs(reply);
    assertThat(event.replyLength).as("not a bulk reply").isEqualTo(-1);
    assertThat(event.error).isSameAs(error);
    assertThat(event.startNanos).isEqualTo(100);
    assertThat(event.endNanos).isEqualTo(200);
    assertThat(event.spanId).isNotZero();
    assertThat(event.traceIdLow).isNotZero();
    assertThat(event.parentSpanId).as("a root span").isZero();
  }

  @Test
  void shouldKeepOnlyTheLengthOfABulkReply() {
    ThreadContext context = ThreadContextFixture.newContext();
    ThreadContextFixture.stageCommand(context, connection, socket, new Object(), null, 100, new byte[42], null, 200);

    publisher.publishRedisCommand(context);

    SpanEvent event = ring.get(0);
    assertThat(event.replyLength).isEqualTo(42);
    assertThat(event.reply).as("the array itself is not pinned").isNull();
    event.clear();
    assertThat(event.replyLength).isEqualTo(-1);
  }

  @Test
  void shouldHandOverTheBulkReplyItselfWhenValuesAreFingerprinted() {
    ThreadContext context = ThreadContextFixture.newContext();
    byte[] reply = new byte[42];
    ThreadContextFixture.stageCommand(context, connection, socket, new Object(), null, 100, reply, null, 200);
    io.memtrace.agent.bootstrap.RedisHooks.keepBulkReplies(true);
    try {
      publisher.publishRedisCommand(context);
    } finally {
      io.memtrace.agent.bootstrap.RedisHooks.keepBulkReplies(false);
    }

    SpanEvent event = ring.get(0);
    assertThat(event.replyLength).isEqualTo(42);
    assertThat(event.reply).as("the consumer fingerprints the array itself").isSameAs(reply);
    event.clear();
    assertThat(event.reply).as("and the slot lets go of it").isNull();
  }

  @Test
  void shouldJoinTraceOfCurrentSpan() {
    ThreadContext context = contextWith(new Object());
    ThreadContextFixture.parentSpan(context, 11, 12, 13);

    publisher.publishRedisCommand(context);

    SpanEvent event = ring.get(0);
    assertThat(event.traceIdHigh).isEqualTo(11);
    assertThat(event.traceIdLow).isEqualTo(12);
    assertThat(event.parentSpanId).isEqualTo(13);
    assertThat(event.spanId).isNotZero().isNotEqualTo(13);
  }

  @Test
  void shouldCopyRecordedBatchCommandsUnrecordedCountAndFirstErrorIntoSlot() {
    ThreadContext context = ThreadContextFixture.newContext();
    Object[] commands = new Object[RedisBatch.CAPACITY + 2];
    RuntimeException firstError = new RuntimeException("first");
    for (int i = 0; i < commands.length; i++) {
      commands[i] = new Object();
      RuntimeException errorReply = i == 3 ? firstError : i == 5 ? new RuntimeException("second") : null;
      ThreadContextFixture.addToBatch(context, connection, socket, commands[i], "args" + i, 10 + i, errorReply);
    }
    ThreadContextFixture.endBatch(context, "exec", null, 99);

    publisher.publishRedisBatch(context);

    SpanEvent event = ring.get(0);
    assertThat(event.type).isEqualTo(SpanEvent.Type.REDIS_BATCH);
    assertThat(event.batchRecorded).isEqualTo(RedisBatch.CAPACITY);
    assertThat(event.batchOverflow).isEqualTo(2);
    assertThat(event.batchCommands[0]).isSameAs(commands[0]);
    assertThat(event.batchCommands[15]).isSameAs(commands[15]);
    assertThat(event.batchArguments[15]).isEqualTo("args15");
    assertThat(event.batchMethod).isEqualTo("exec");
    assertThat(event.batchErrors).isEqualTo(2);
    assertThat(event.error).as("the first error reply, when exec itself did not throw")
        .isSameAs(firstError);
    assertThat(event.startNanos).as("when the first command was sent").isEqualTo(10);
    assertThat(event.endNanos).isEqualTo(99);
    assertThat(event.connection).isSameAs(connection);
  }

  @Test
  void shouldPublishHiddenHandshakeAsSetUpAndNotCountItWhenTheRingIsFull() {
    ThreadContext context = ThreadContextFixture.newContext();
    ThreadContextFixture.stageHiddenHandshake(context, connection, socket, new Object());

    for (int i = 0; i < RING_SIZE + 2; i++) {
      publisher.publishRedisCommand(context);
    }

    assertThat(ring.get(0).type).isEqualTo(SpanEvent.Type.REDIS_SET_UP);
    assertThat(ring.get(0).connection).isSameAs(connection);
    assertThat(counters.dropped.get()).as("nothing the user would have seen").isZero();
  }

  @Test
  void shouldClearSlotSoItPinsNothing() {
    publisher.publishRedisCommand(contextWith(new Object()));
    SpanEvent event = ring.get(0);

    event.clear();

    assertThat(event.type).isEqualTo(SpanEvent.Type.NONE);
    assertThat(event.command).isNull();
    assertThat(event.connection).isNull();
    assertThat(event.reply).isNull();
  }
}
