package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonParents;
import net.bytebuddy.asm.Advice;

/**
 * {@code RedisExecutor.sendCommand(promise, connection)} (and a batch executor's): where the
 * command is handed to {@code RedisConnection.send}; on another thread than its {@code execute()},
 * with the span current there made current for the send.
 */
public final class SendCommandAdvice {

  private SendCommandAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object executor) {
    return RedissonParents.sending(executor);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object here) {
    RedissonParents.sent(here);
  }
}
