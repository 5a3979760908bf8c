package io.memtrace.agent.instrumentation.lettuce.common;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.TransactionalCommand;
import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import io.memtrace.agent.bootstrap.LettuceHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code DefaultEndpoint.write(RedisCommand)}, which every command of the sync, async and reactive
 * APIs reaches once, on the thread that dispatched it (so the span current there is its parent),
 * before it is written: the command's start. The endpoint is the connection; its channel, read
 * here while it is surely open, is what the consumer asks for the server's address and follows
 * {@code SELECT} on. Keyed by the innermost command, which every wrapper of it completes.
 */
public final class WriteAdvice {

  private WriteAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object endpoint, @Advice.FieldValue("channel") Object channel,
      @Advice.Argument(0) RedisCommand<?, ?, ?> command) {
    LettuceHooks.dispatched(endpoint, channel, CommandWrapper.unwrap(command),
        CommandWrapper.unwrap(command, TransactionalCommand.class) != null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Argument(0) RedisCommand<?, ?, ?> command, @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      LettuceCompletionHooks.dispatchFailed(CommandWrapper.unwrap(command), thrown);
    }
  }
}
