package io.memtrace.agent.bootstrap;

/**
 * Where the hooks hand finished work. Implemented by the agent's ring publisher; every method is
 * called on an application thread and must neither block, lock, allocate nor throw.
 */
public interface EventSink {

  /**
   * Publishes the command staged in {@link ThreadContext#redisCall()}, answered, as one Redis span;
   * the context's current span is its parent. A {@linkplain RedisCall#hidden() hidden} one makes
   * no span, and is not counted when it cannot be published.
   */
  void publishRedisCommand(ThreadContext context);

  /** Publishes {@link ThreadContext#redisBatch()}, just ended, as one pipeline or transaction span. */
  void publishRedisBatch(ThreadContext context);

  /** Publishes the start of an instrumented method call (task spans need their attributes early). */
  void publishMethodStart(MethodFrame frame);

  /** Publishes the end of an instrumented method call (outcome set on the frame) as one span. */
  void publishMethodEnd(MethodFrame frame);

  /**
   * Publishes a model call's span that another instrumentation just started (see {@link ObservedModelHooks}),
   * for the consumer to give it its links to memory.
   *
   * @return false when the ring was full and nothing was published
   */
  default boolean publishObservedModel(MethodFrame frame) {
    return false;
  }

  /**
   * Publishes the command staged in {@link ThreadContext#redisCall()}, just dispatched and not yet
   * answered (a Lettuce command, answered later on another thread); the context's current span is
   * its parent. Its span is made when {@link #publishCommandEnd} reports the same command object.
   *
   * @return false when the ring was full and the start could not be recorded
   */
  default boolean publishCommandStart(ThreadContext context) {
    return true;
  }

  /**
   * Publishes the completion of the command staged in {@link ThreadContext#redisCall()} (its
   * command, end time and error), on whichever thread completed it. A completion that finds the
   * ring full is not counted here: its start, waiting on the consumer, is counted when it expires.
   */
  default void publishCommandEnd(ThreadContext context) {
  }

  /** Counts an event that could not be recorded (for example a command whose reply was never read). */
  void countDropped(long events);

  /** A sink that records nothing; in place until the agent has started, and after it stopped. */
  EventSink NO_OP = new Ignoring();

  /** Ignores every event; a sink that cares about only some of them extends it and overrides those. */
  class Ignoring implements EventSink {
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
  }
}
