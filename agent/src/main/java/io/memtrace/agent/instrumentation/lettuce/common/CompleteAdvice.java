package io.memtrace.agent.instrumentation.lettuce.common;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code complete()} of {@code Command}, {@code AsyncCommand} and {@code CommandWrapper}: a reply
 * (or an error reply) was read for the command. Entered before anything is handed to the
 * application (an {@code AsyncCommand} completes its future first, its inner command last).
 */
public final class CompleteAdvice {

  private CompleteAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object self) {
    RedisCommand<?, ?, ?> command = CommandWrapper.unwrap((RedisCommand<?, ?, ?>) self);
    return LettuceCompletionHooks.completing(command, command.isDone(), null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object outer) {
    LettuceCompletionHooks.completed(outer);
  }
}
