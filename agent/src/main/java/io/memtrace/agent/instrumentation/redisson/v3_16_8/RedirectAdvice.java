package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import net.bytebuddy.asm.Advice;
import org.redisson.client.RedisRedirectException;
import org.redisson.client.protocol.BatchCommandData;

/**
 * {@code BatchCommandData.tryFailure(Throwable)} with a {@code MOVED} or {@code ASK}: a batch's
 * command keeps the redirection for its batch, which sends the same command object again to the
 * node named; its promise is not completed. This attempt ends here, with the redirection, so that
 * the next is a span of its own, on the node that answers it. (Any other failure goes on to
 * {@code CommandData.tryFailure}, whose advice ends it.)
 */
public final class RedirectAdvice {

  private RedirectAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This BatchCommandData<?, ?> command, @Advice.Argument(0) Throwable cause) {
    if (cause instanceof RedisRedirectException) {
      RedissonHooks.completing(command, command.getPromise().isDone(), cause,
          command.getCommand().getName(), command.getCommand().getSubName(), command.getParams());
    }
  }
}
