package io.memtrace.agent.instrumentation.lettuce.common;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.TransactionalCommand;
import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import io.memtrace.agent.bootstrap.LettuceHooks;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/** {@code DefaultEndpoint.write(Collection)}: several commands at once, each with its own start. */
public final class WriteAllAdvice {

  private WriteAllAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object endpoint, @Advice.FieldValue("channel") Object channel,
      @Advice.Argument(0) Collection<?> commands) {
    for (Object each : commands) {
      RedisCommand<?, ?, ?> command = (RedisCommand<?, ?, ?>) each;
      LettuceHooks.dispatched(endpoint, channel, CommandWrapper.unwrap(command),
          CommandWrapper.unwrap(command, TransactionalCommand.class) != null);
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Argument(0) Collection<?> commands, @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      for (Object each : commands) {
        LettuceCompletionHooks.dispatchFailed(CommandWrapper.unwrap((RedisCommand<?, ?, ?>) each), thrown);
      }
    }
  }
}
