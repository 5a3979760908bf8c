package io.memtrace.agent.pipeline;

import io.memtrace.agent.bootstrap.ThreadContext;

/**
 * One pre-allocated ring slot. Application threads copy references and primitives into it; the
 * consumer reads them and {@link #clear() clears} the slot so it pins nothing of the application.
 */
public final class SpanEvent {

  public enum Type { NONE, REDIS_COMMAND, REDIS_BATCH }

  Type type = Type.NONE;
  long traceIdHigh;
  long traceIdLow;
  long spanId;
  long parentSpanId;
  long startNanos;
  long endNanos;

  Object connection;
  Object socket;
  /** Jedis 4+: the CommandArguments; Jedis 3: the ProtocolCommand. */
  Object command;
  /** Jedis 3: the byte[][] arguments. */
  Object arguments;
  Object reply;
  Throwable error;

  String batchMethod;
  int batchRecorded;
  int batchOverflow;
  int batchErrors;
  final Object[] batchCommands = new Object[ThreadContext.QUEUE_CAPACITY];
  final Object[] batchArguments = new Object[ThreadContext.QUEUE_CAPACITY];
  Object lastCommand;
  Object lastArguments;

  void clear() {
    type = Type.NONE;
    connection = null;
    socket = null;
    command = null;
    arguments = null;
    reply = null;
    error = null;
    batchMethod = null;
    for (int i = 0; i < batchRecorded; i++) {
      batchCommands[i] = null;
      batchArguments[i] = null;
    }
    batchRecorded = 0;
    batchOverflow = 0;
    batchErrors = 0;
    lastCommand = null;
    lastArguments = null;
  }
}
