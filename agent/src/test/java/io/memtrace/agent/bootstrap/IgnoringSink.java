package io.memtrace.agent.bootstrap;

/**
 * A sink for the hook and advice tests that ignores every event: each recorder extends it and overrides
 * only what its tests look at, so a new {@link EventSink} method needs one empty body here, not one per test.
 */
public abstract class IgnoringSink implements EventSink {

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
