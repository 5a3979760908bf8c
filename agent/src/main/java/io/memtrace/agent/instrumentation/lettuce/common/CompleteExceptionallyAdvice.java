package io.memtrace.agent.instrumentation.lettuce.common;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import net.bytebuddy.asm.Advice;

/** {@code completeExceptionally(Throwable)}: the command failed (connection lost, encoding failed...). */
public final class CompleteExceptionallyAdvice {

  private CompleteExceptionallyAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object self, @Advice.Argument(0) Throwable error) {
    RedisCommand<?, ?, ?> command = CommandWrapper.unwrap((RedisCommand<?, ?, ?>) self);
    return LettuceCompletionHooks.completing(command, command.isDone(), error);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object outer) {
    LettuceCompletionHooks.completed(outer);
  }
}
