package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonParents;
import net.bytebuddy.asm.Advice;

/**
 * {@code RedisExecutor.execute()}: the application's thread runs a command's executor, which
 * sends the command at once when a connection is free, else later from another thread; the span
 * current here is kept for that case.
 */
public final class ExecuteAdvice {

  private ExecuteAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object executor) {
    return RedissonParents.executing(executor);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.This Object executor, @Advice.Enter Object outer) {
    RedissonParents.executed(executor, outer);
  }
}
