package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.bootstrap.RedisHooks;
import net.bytebuddy.asm.Advice;

/** {@code Connection.readProtocolWithCheckingBroken()}: one reply (or error reply) read. */
public final class ReadReplyAdvice {

  private ReadReplyAdvice() {
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.This Object connection, @Advice.Return Object reply,
      @Advice.Thrown Throwable thrown) {
    RedisHooks.replied(connection, reply, thrown);
  }
}
