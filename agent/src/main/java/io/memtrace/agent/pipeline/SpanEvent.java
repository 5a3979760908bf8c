package io.memtrace.agent.pipeline;


/**
 * One pre-allocated ring slot. Application threads copy references and primitives into it; the
 * consumer reads them and {@link #clear() clears} the slot so it pins nothing of the application.
 */
public final class SpanEvent {

  /**
   * What the slot carries. {@code SHUTDOWN} is the marker the shutdown hook publishes (it carries
   * nothing): the consumer exports what it holds when it reads it and stops, so the batch never
   * has a second owner. {@code REDIS_SET_UP} is a handshake command that makes no span (the
   * consumer only follows its {@code SELECT}). {@code REDIS_COMMAND_START} and
   * {@code REDIS_COMMAND_END} are the two halves of a command that completes on another thread
   * than the one that sent it (Lettuce), paired by {@link AsyncCommandSpans}.
   */
  public enum Type {
    NONE, REDIS_COMMAND, REDIS_SET_UP, REDIS_BATCH, METHOD_START, METHOD_END, SHUTDOWN,
    REDIS_COMMAND_START, REDIS_COMMAND_END
  }

  Type type = Type.NONE;
  long traceIdHigh;
  long traceIdLow;
  long spanId;
  long parentSpanId;
  /** The parent is an OpenTelemetry span memtrace joined, not a memtrace span that will end. */
  boolean otelParent;
  /** A method call inside another memory operation (see MethodHooks): not indexed as provenance. */
  boolean nested;
  /** The hand-off call the method ran inside on its thread, or 0 (see MethodHooks). */
  long handOffId;
  long startNanos;
  long endNanos;

  Object connection;
  Object socket;
  /** Jedis 4+: the CommandArguments; Jedis 3: the ProtocolCommand. */
  Object command;
  /** Jedis 3: the byte[][] arguments. */
  Object arguments;
  /**
   * The reply, unless it is one bulk string (a {@code byte[]}): then only {@link #replyLength}, and the array too
   * when value fingerprints are on (the consumer hashes it).
   */
  Object reply;
  /**
   * The length of a {@code byte[]} reply, or -1. Read on the application thread, where the array
   * was just written and is still in that core's cache: the consumer touching it instead, a moment
   * later on the other core, was a cache miss that took a seventh of its time per span. It also
   * means the slot does not hold the reply alive until the consumer gets to it.
   */
  int replyLength = -1;
  Throwable error;
  /** Sent while the connection set itself up: its error reply is not the application's error. */
  boolean handshake;

  /**
   * Instrumented methods: the rule id (see MethodHooks.TASK_FLAG), receiver and arguments. A
   * command's start: in {@link #self}, what sent it and will send its retries, if its client
   * retries (Redisson's executor, see {@link RetriedParents}).
   */
  int rule;
  Object self;
  /** Made the first time this slot carries a method event (see {@link #batchCommands}). */
  Object[] methodArgs;

  String batchMethod;
  int batchRecorded;
  int batchOverflow;
  int batchErrors;
  /**
   * Pipelines and transactions only, so made the first time this slot carries one: most slots never
   * do, and two arrays in each of 64 Ki slots would be 10 MB of resident memory for nothing.
   */
  Object[] batchCommands;
  Object[] batchArguments;
  /** Each command's reply when it is a count or an array ({@code RedisBatch#replyAt}), else null. */
  Object[] batchReplies;

  /**
   * A copy holding what this slot holds, its arrays copied too, for {@link StartupOverflow}: the slot can then be
   * cleared and reused while the copy waits for the consumer.
   */
  SpanEvent copy() {
    SpanEvent c = new SpanEvent();
    c.type = type;
    c.traceIdHigh = traceIdHigh;
    c.traceIdLow = traceIdLow;
    c.spanId = spanId;
    c.parentSpanId = parentSpanId;
    c.otelParent = otelParent;
    c.nested = nested;
    c.handOffId = handOffId;
    c.startNanos = startNanos;
    c.endNanos = endNanos;
    c.connection = connection;
    c.socket = socket;
    c.command = command;
    c.arguments = arguments;
    c.reply = reply;
    c.replyLength = replyLength;
    c.error = error;
    c.handshake = handshake;
    c.rule = rule;
    c.self = self;
    c.methodArgs = methodArgs == null ? null : methodArgs.clone();
    c.batchMethod = batchMethod;
    c.batchRecorded = batchRecorded;
    c.batchOverflow = batchOverflow;
    c.batchErrors = batchErrors;
    if (type == Type.REDIS_BATCH || batchRecorded > 0) { // other events leave the slot's cleared arrays unread
      c.batchCommands = batchCommands == null ? null : batchCommands.clone();
      c.batchArguments = batchArguments == null ? null : batchArguments.clone();
      c.batchReplies = batchReplies == null ? null : batchReplies.clone();
    }
    return c;
  }

  void clear() {
    type = Type.NONE;
    connection = null;
    socket = null;
    command = null;
    arguments = null;
    reply = null;
    replyLength = -1;
    error = null;
    handshake = false;
    batchMethod = null;
    self = null;
    if (methodArgs != null) {
      java.util.Arrays.fill(methodArgs, null);
    }
    for (int i = 0; i < batchRecorded; i++) {
      batchCommands[i] = null;
      batchArguments[i] = null;
      if (batchReplies != null) {
        batchReplies[i] = null;
      }
    }
    batchRecorded = 0;
    batchOverflow = 0;
    batchErrors = 0;
  }
}
