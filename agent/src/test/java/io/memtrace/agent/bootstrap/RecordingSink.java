package io.memtrace.agent.bootstrap;

import java.util.ArrayList;
import java.util.List;

/** An {@link EventSink} that copies what it is handed, as the ring's translators would. */
final class RecordingSink extends EventSink.Ignoring {

  /** A command, or a batch, as the hooks handed it over. */
  static final class Published {
    final boolean batch;
    final List<Object> commands = new ArrayList<>();
    final Object connection;
    final Object socket;
    final Object arguments;
    final long startNanos;
    final Object reply;
    final int replyLength;
    final Throwable error;
    final boolean handshake;
    final boolean hidden;
    final String method;
    final int unrecorded;
    final int batchErrors;
    final long parentSpanId;

    Published(RedisCall call, ThreadContext context) {
      this.batch = false;
      commands.add(call.command());
      this.connection = call.connection();
      this.socket = call.socket();
      this.arguments = call.arguments();
      this.startNanos = call.startNanos();
      this.reply = call.reply();
      this.replyLength = call.replyLength();
      this.error = call.error();
      this.handshake = call.handshake();
      this.hidden = call.hidden();
      this.method = null;
      this.unrecorded = 0;
      this.batchErrors = 0;
      this.parentSpanId = context.currentSpanId();
    }

    Published(RedisBatch batch, ThreadContext context) {
      this.batch = true;
      for (int i = 0; i < batch.recorded(); i++) {
        commands.add(batch.commandAt(i));
      }
      this.connection = batch.connection();
      this.socket = batch.socket();
      this.arguments = batch.recorded() > 0 ? batch.argumentsAt(0) : null;
      this.startNanos = batch.startNanos();
      this.reply = null;
      this.replyLength = -1;
      this.error = batch.error();
      this.handshake = false;
      this.hidden = false;
      this.method = batch.method();
      this.unrecorded = batch.unrecorded();
      this.batchErrors = batch.errors();
      this.parentSpanId = context.currentSpanId();
    }

    Object command() {
      return commands.isEmpty() ? null : commands.get(0);
    }

    int size() {
      return commands.size() + unrecorded;
    }

    @Override
    public String toString() {
      return (batch ? "batch " + method + " " : "") + commands + " reply=" + reply + " error=" + error;
    }
  }

  /** Synchronized: some tests publish from a second thread. */
  final List<Published> published = java.util.Collections.synchronizedList(new ArrayList<>());
  final List<Long> dropped = java.util.Collections.synchronizedList(new ArrayList<>());

  @Override
  public void publishRedisCommand(ThreadContext context) {
    published.add(new Published(context.redisCall(), context));
  }

  @Override
  public void publishRedisBatch(ThreadContext context) {
    published.add(new Published(context.redisBatch(), context));
  }

  @Override
  public void countDropped(long events) {
    dropped.add(events);
  }

  long droppedTotal() {
    synchronized (dropped) {
      return dropped.stream().mapToLong(Long::longValue).sum();
    }
  }
}
