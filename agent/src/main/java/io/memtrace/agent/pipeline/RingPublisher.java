package io.memtrace.agent.pipeline;

import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import io.memtrace.agent.bootstrap.EventSink;
import io.memtrace.agent.bootstrap.MethodFrame;
import io.memtrace.agent.bootstrap.ThreadContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The application-thread side of the ring: static translators copy references from the thread's
 * context into a pre-allocated slot. A full ring drops the event and counts it; nothing here
 * blocks, locks, logs or allocates.
 */
public final class RingPublisher implements EventSink {

  private static final EventTranslatorOneArg<SpanEvent, ThreadContext> REDIS_COMMAND =
      (event, sequence, context) -> {
        fillIds(event, context);
        event.type = SpanEvent.Type.REDIS_COMMAND;
        event.startNanos = context.startNanosAt(0);
        event.endNanos = context.stagedEndNanos();
        event.connection = context.connectionAt(0);
        event.socket = context.socketAt(0);
        event.command = context.commandAt(0);
        event.arguments = context.argumentsAt(0);
        Object reply = context.stagedReply();
        if (reply instanceof byte[]) { // the common reply: keep its length only (see SpanEvent)
          event.replyLength = ((byte[]) reply).length;
          event.reply = null;
        } else {
          event.replyLength = -1;
          event.reply = reply;
        }
        event.error = context.stagedError();
      };

  private static final EventTranslatorOneArg<SpanEvent, ThreadContext> REDIS_BATCH =
      (event, sequence, context) -> {
        fillIds(event, context);
        event.type = SpanEvent.Type.REDIS_BATCH;
        event.startNanos = context.batchStartNanos();
        event.endNanos = context.stagedEndNanos();
        int recorded = context.queued();
        if (recorded > 0) {
          event.connection = context.connectionAt(0);
          event.socket = context.socketAt(0);
        }
        if (event.batchCommands == null) { // once per slot, for its first batch
          event.batchCommands = new Object[ThreadContext.QUEUE_CAPACITY];
          event.batchArguments = new Object[ThreadContext.QUEUE_CAPACITY];
        }
        for (int i = 0; i < recorded; i++) {
          event.batchCommands[i] = context.commandAt(i);
          event.batchArguments[i] = context.argumentsAt(i);
        }
        event.batchRecorded = recorded;
        event.batchOverflow = context.overflow();
        event.batchErrors = context.batchErrors();
        event.batchMethod = context.stagedMethod();
        event.lastCommand = context.lastCommand();
        event.lastArguments = context.lastArguments();
        Throwable error = context.stagedError();
        event.error = error != null ? error : context.batchFirstError();
      };

  private static final EventTranslatorOneArg<SpanEvent, MethodFrame> METHOD_START =
      (event, sequence, frame) -> copyFrame(event, frame, SpanEvent.Type.METHOD_START);

  private static final EventTranslatorOneArg<SpanEvent, MethodFrame> METHOD_END =
      (event, sequence, frame) -> {
        copyFrame(event, frame, SpanEvent.Type.METHOD_END);
        event.endNanos = frame.endNanos();
        event.reply = frame.returned();
        event.error = frame.thrown();
      };

  private final RingBuffer<SpanEvent> ring;
  private final HealthCounters counters;

  public RingPublisher(RingBuffer<SpanEvent> ring, HealthCounters counters) {
    this.ring = ring;
    this.counters = counters;
  }

  private static void fillIds(SpanEvent event, ThreadContext context) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long parent = context.currentSpanId();
    if (parent != 0) {
      event.traceIdHigh = context.currentTraceIdHigh();
      event.traceIdLow = context.currentTraceIdLow();
    } else {
      event.traceIdHigh = random.nextLong();
      event.traceIdLow = nonZero(random.nextLong());
    }
    event.parentSpanId = parent;
    event.spanId = nonZero(random.nextLong());
  }

  private static void copyFrame(SpanEvent event, MethodFrame frame, SpanEvent.Type type) {
    event.type = type;
    event.rule = frame.rule();
    event.traceIdHigh = frame.traceIdHigh();
    event.traceIdLow = frame.traceIdLow();
    event.spanId = frame.spanId();
    event.parentSpanId = frame.parentSpanId();
    event.startNanos = frame.startNanos();
    event.self = frame.self();
    if (event.methodArgs == null) { // once per slot, for its first method event
      event.methodArgs = new Object[MethodFrame.MAX_ARGS];
    }
    for (int i = 0; i < MethodFrame.MAX_ARGS; i++) {
      event.methodArgs[i] = frame.arg(i);
    }
  }

  private static long nonZero(long id) {
    return id == 0 ? 1 : id;
  }

  @Override
  public void publishRedisCommand(ThreadContext context) {
    if (!ring.tryPublishEvent(REDIS_COMMAND, context)) {
      counters.dropped.incrementAndGet();
    }
  }

  @Override
  public void publishRedisBatch(ThreadContext context) {
    if (!ring.tryPublishEvent(REDIS_BATCH, context)) {
      counters.dropped.incrementAndGet();
    }
  }

  @Override
  public void publishMethodStart(MethodFrame frame) {
    if (!ring.tryPublishEvent(METHOD_START, frame)) {
      counters.dropped.incrementAndGet();
    }
  }

  @Override
  public void publishMethodEnd(MethodFrame frame) {
    if (!ring.tryPublishEvent(METHOD_END, frame)) {
      counters.dropped.incrementAndGet();
    }
  }

  @Override
  public void countDropped(long events) {
    counters.dropped.addAndGet(events);
  }
}
