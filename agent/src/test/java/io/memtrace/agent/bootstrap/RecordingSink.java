package io.memtrace.agent.bootstrap;

import java.util.ArrayList;
import java.util.List;

/** An {@link EventSink} that copies what it is handed, as the ring's translators would. */
final class RecordingSink implements EventSink {

  /** What a context held when the hooks handed it over. */
  static final class Published {
    final boolean batch;
    final int queued;
    final int overflow;
    final List<Object> commands = new ArrayList<>();
    final Object connection;
    final Object socket;
    final Object arguments;
    final long startNanos;
    final Object reply;
    final Throwable error;
    final String method;
    final int batchErrors;
    final Throwable batchFirstError;
    final Object lastCommand;

    Published(boolean batch, ThreadContext context) {
      this.batch = batch;
      this.queued = context.queued();
      this.overflow = context.overflow();
      for (int i = 0; i < queued; i++) {
        commands.add(context.commandAt(i));
      }
      this.connection = queued > 0 ? context.connectionAt(0) : null;
      this.socket = queued > 0 ? context.socketAt(0) : null;
      this.arguments = queued > 0 ? context.argumentsAt(0) : null;
      this.startNanos = queued > 0 ? context.startNanosAt(0) : 0;
      this.reply = context.stagedReply();
      this.error = context.stagedError();
      this.method = context.stagedMethod();
      this.batchErrors = context.batchErrors();
      this.batchFirstError = context.batchFirstError();
      this.lastCommand = context.lastCommand();
    }

    Object command() {
      return commands.isEmpty() ? null : commands.get(0);
    }
  }

  final List<Published> published = new ArrayList<>();
  final List<Long> dropped = new ArrayList<>();

  @Override
  public void publishRedisCommand(ThreadContext context) {
    published.add(new Published(false, context));
  }

  @Override
  public void publishRedisBatch(ThreadContext context) {
    published.add(new Published(true, context));
  }

  @Override
  public void publishMethodStart(MethodFrame frame) {
    // method spans are not what these tests are about
  }

  @Override
  public void publishMethodEnd(MethodFrame frame) {
  }

  @Override
  public void countDropped(long events) {
    dropped.add(events);
  }
}
