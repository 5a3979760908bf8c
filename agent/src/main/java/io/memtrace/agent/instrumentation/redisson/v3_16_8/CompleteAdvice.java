package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import net.bytebuddy.asm.Advice;
import org.redisson.client.protocol.CommandData;

/**
 * {@code CommandDecoder.completeResponse(CommandData, Object)}: a command's decoded reply is about
 * to complete its promise, so before the application is handed anything. (A command queued in a
 * transaction is completed here too, after its {@code EXEC}.)
 */
public final class CompleteAdvice {

  private CompleteAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) CommandData<?, ?> command) {
    RedissonHooks.completing(command, command.getPromise().isDone(), null,
        command.getCommand().getName(), command.getCommand().getSubName(), command.getParams());
  }
}
