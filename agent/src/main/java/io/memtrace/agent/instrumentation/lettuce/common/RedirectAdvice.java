package io.memtrace.agent.instrumentation.lettuce.common;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code ClusterCommand.complete()} (a package-private class: seen as the {@code RedisCommand} it is): a node's reply was read for a Redis Cluster command. When the
 * reply is {@code MOVED} or {@code ASK} and the client has redirections left, Lettuce does not
 * complete the command but writes it again to the node named, clearing the error from the command's
 * output first; the attempt ends here, with that error read now, before the retry is written.
 */
public final class RedirectAdvice {

  private RedirectAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This RedisCommand<?, ?, ?> self, @Advice.FieldValue("redirections") int redirections,
      @Advice.FieldValue("maxRedirections") int maxRedirections) {
    LettuceCompletionHooks.redirecting(CommandWrapper.unwrap(self),
        redirections < maxRedirections && self.getOutput() != null ? self.getOutput().getError() : null);
  }
}
