package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import net.bytebuddy.asm.Advice;
import org.redisson.client.protocol.CommandData;

/**
 * {@code CommandData.tryFailure(Throwable)}: an error reply ({@code WRONGTYPE}, {@code MOVED}...),
 * a reply that could not be decoded, or a connection closed under the command. (A batch's command
 * keeps a redirection for its batch to retry instead, in {@code BatchCommandData}: not here.)
 */
public final class FailAdvice {

  private FailAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This CommandData<?, ?> command, @Advice.Argument(0) Throwable cause) {
    RedissonHooks.completing(command, command.getPromise().isDone(), cause,
        command.getCommand().getName(), command.getCommand().getSubName(), command.getParams());
  }
}
