package io.memtrace.agent.pipeline;

import io.memtrace.agent.health.HealthCounters;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import io.memtrace.agent.bootstrap.EventSink;
import io.memtrace.agent.bootstrap.JoinedParent;
import io.memtrace.agent.bootstrap.MethodFrame;
import io.memtrace.agent.bootstrap.RedisBatch;
import io.memtrace.agent.bootstrap.RedisCall;
import io.memtrace.agent.bootstrap.RedisHooks;
import io.memtrace.agent.bootstrap.ThreadContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The application-thread side of the ring: static translators copy references from what the
 * thread staged into a pre-allocated slot. A full ring drops the event and counts it; nothing here
 * blocks, locks, logs or allocates.
 */
public final class RingPublisher implements EventSink {

  private static final EventTranslatorOneArg<SpanEvent, ThreadContext> REDIS_COMMAND =
      (event, sequence, context) -> {
        RedisCall call = context.redisCall();
        copyStart(event, context, call);
        event.type = call.hidden() ? SpanEvent.Type.REDIS_SET_UP : SpanEvent.Type.REDIS_COMMAND;
        event.endNanos = call.endNanos();
        // the common reply, a bulk string: its length, and the array itself only when fingerprints asked the
        // thread to keep it (see SpanEvent)
        int length = call.replyLength();
        event.replyLength = length;
        event.reply = length >= 0 && !RedisHooks.bulkRepliesKept() ? null : call.reply();
        event.error = call.error();
      };

  private static final EventTranslatorOneArg<SpanEvent, ThreadContext> REDIS_BATCH =
      (event, sequence, context) -> {
        RedisBatch batch = context.redisBatch();
        fillIds(event, context);
        event.type = SpanEvent.Type.REDIS_BATCH;
        event.startNanos = batch.startNanos();
        event.endNanos = batch.endNanos();
        event.connection = batch.connection();
        event.socket = batch.socket();
        int recorded = batch.recorded();
        if (event.batchCommands == null) { // once per slot, for its first batch
          event.batchCommands = new Object[RedisBatch.CAPACITY];
          event.batchArguments = new Object[RedisBatch.CAPACITY];
          event.batchReplies = new Object[RedisBatch.CAPACITY];
        }
        for (int i = 0; i < recorded; i++) {
          event.batchCommands[i] = batch.commandAt(i);
          event.batchArguments[i] = batch.argumentsAt(i);
          event.batchReplies[i] = batch.replyAt(i);
        }
        event.batchRecorded = recorded;
        event.batchOverflow = batch.unrecorded();
        event.batchErrors = batch.errors();
        event.batchMethod = batch.method();
        event.error = batch.error();
      };

  /** A command just dispatched (Lettuce): its ids, parent and start; its end comes separately. */
  private static final EventTranslatorOneArg<SpanEvent, ThreadContext> COMMAND_START =
      (event, sequence, context) -> {
        copyStart(event, context, context.redisCall());
        event.type = SpanEvent.Type.REDIS_COMMAND_START;
      };

  /** The completion of a dispatched command, on whichever thread completed it. */
  private static final EventTranslatorOneArg<SpanEvent, ThreadContext> COMMAND_END =
      (event, sequence, context) -> {
        RedisCall call = context.redisCall();
        event.type = SpanEvent.Type.REDIS_COMMAND_END;
        event.endNanos = call.endNanos();
        event.command = call.command();
        event.error = call.error();
        // a client that measured the reply and copied the arguments at completion (Redisson); a Lettuce
        // redirection's error reply (LettuceCompletionHooks.REDIRECTED)
        event.arguments = call.arguments();
        event.reply = call.reply();
        event.socket = call.socket(); // the channel that answered, when read there (LettuceCompletionHooks.reading)
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

  /** Ids, parent and what the command was sent with: what a Redis command's span takes from where it was sent. */
  private static void copyStart(SpanEvent event, ThreadContext context, RedisCall call) {
    fillIds(event, context);
    event.startNanos = call.startNanos();
    event.connection = call.connection();
    event.socket = call.socket();
    event.command = call.command();
    event.arguments = call.arguments();
    event.handshake = call.handshake();
    event.self = call.origin();
  }

  private static void fillIds(SpanEvent event, ThreadContext context) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long parent = context.currentSpanId();
    boolean otelParent = false;
    if (parent != 0) {
      event.traceIdHigh = context.currentTraceIdHigh();
      event.traceIdLow = context.currentTraceIdLow();
    } else if (context.joinOtelSpan()) {
      JoinedParent joined = context.joinedParent();
      event.traceIdHigh = joined.traceIdHigh();
      event.traceIdLow = joined.traceIdLow();
      parent = joined.spanId();
      otelParent = true;
    } else {
      event.traceIdHigh = random.nextLong();
      event.traceIdLow = nonZero(random.nextLong());
    }
    event.parentSpanId = parent;
    event.otelParent = otelParent;
    event.spanId = nonZero(random.nextLong());
  }

  private static void copyFrame(SpanEvent event, MethodFrame frame, SpanEvent.Type type) {
    event.type = type;
    event.rule = frame.rule();
    event.traceIdHigh = frame.traceIdHigh();
    event.traceIdLow = frame.traceIdLow();
    event.spanId = frame.spanId();
    event.parentSpanId = frame.parentSpanId();
    event.otelParent = frame.otelParent();
    event.nested = frame.nested();
    event.handOffId = frame.handOffId();
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
    if (!ring.tryPublishEvent(REDIS_COMMAND, context) && !context.redisCall().hidden()) {
      counters.lost(1);
    }
  }

  @Override
  public void publishRedisBatch(ThreadContext context) {
    if (!ring.tryPublishEvent(REDIS_BATCH, context)) {
      counters.lost(1);
    }
  }

  @Override
  public boolean publishCommandStart(ThreadContext context) {
    return ring.tryPublishEvent(COMMAND_START, context); // LettuceHooks counts a start that is lost
  }

  @Override
  public void publishCommandEnd(ThreadContext context) {
    // not counted when lost: its start is counted when it expires (see LettuceHooks)
    ring.tryPublishEvent(COMMAND_END, context);
  }

  @Override
  public void publishMethodStart(MethodFrame frame) {
    // a start that finds the ring full loses no span (the end makes it), only what a task's memory
    // spans inherit from it: it is not counted with the spans
    ring.tryPublishEvent(METHOD_START, frame);
  }

  @Override
  public void publishMethodEnd(MethodFrame frame) {
    if (!ring.tryPublishEvent(METHOD_END, frame)) {
      counters.lost(1);
    }
  }

  @Override
  public boolean publishObservedModel(MethodFrame frame) {
    return ring.tryPublishEvent(METHOD_START, frame); // its links are lost when the ring is full, not the span
  }

  @Override
  public void countDropped(long events) {
    counters.lost(events);
  }
}
