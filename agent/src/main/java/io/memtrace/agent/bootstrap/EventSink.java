package io.memtrace.agent.bootstrap;

/**
 * Where the hooks hand finished work. Implemented by the agent's ring publisher; every method is
 * called on an application thread and must neither block, lock, allocate nor throw.
 */
public interface EventSink {

  /**
   * Publishes the command at the head of {@code context}'s queue as one Redis span, with the
   * outcome staged on the context ({@link ThreadContext#stagedReply()} and the like).
   */
  void publishRedisCommand(ThreadContext context);

  /** Publishes everything queued on {@code context} as one pipeline or transaction span. */
  void publishRedisBatch(ThreadContext context);

  /** Publishes the start of an instrumented method call (task spans need their attributes early). */
  void publishMethodStart(MethodFrame frame);

  /** Publishes the end of an instrumented method call (outcome set on the frame) as one span. */
  void publishMethodEnd(MethodFrame frame);

  /** Counts an event that could not be recorded (for example a send that overflowed the queue). */
  void countDropped(long events);

  /** A sink that records nothing; in place until the agent has started, and after it stopped. */
  EventSink NO_OP = new EventSink() {
    @Override
    public void publishRedisCommand(ThreadContext context) {
    }

    @Override
    public void publishRedisBatch(ThreadContext context) {
    }

    @Override
    public void publishMethodStart(MethodFrame frame) {
    }

    @Override
    public void publishMethodEnd(MethodFrame frame) {
    }

    @Override
    public void countDropped(long events) {
    }
  };
}
