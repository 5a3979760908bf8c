package io.memtrace.agent.instrumentation.lettuce.common;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import net.bytebuddy.asm.Advice;

/** {@code cancel()} and {@code AsyncCommand.cancel(boolean)}: a timeout, a reset connection, or the application. */
public final class CancelAdvice {

  private CancelAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object self) {
    RedisCommand<?, ?, ?> command = CommandWrapper.unwrap((RedisCommand<?, ?, ?>) self);
    return LettuceCompletionHooks.cancelling(command, command.isDone());
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object outer) {
    LettuceCompletionHooks.completed(outer);
  }
}
