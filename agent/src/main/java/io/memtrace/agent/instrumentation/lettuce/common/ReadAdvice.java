package io.memtrace.agent.instrumentation.lettuce.common;

import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code CommandHandler.channelRead}: replies of its channel are decoded, and the commands they complete are
 * completed, inside; the channel is the connection that answered them.
 */
public final class ReadAdvice {

  private ReadAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.FieldValue("channel") Object channel) {
    return LettuceCompletionHooks.reading(channel);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object outer) {
    LettuceCompletionHooks.readDone(outer);
  }
}
