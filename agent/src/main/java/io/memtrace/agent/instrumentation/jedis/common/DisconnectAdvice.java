package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.bootstrap.RedisHooks;
import net.bytebuddy.asm.Advice;

/** {@code Connection.disconnect()} and the like: replies still owed will never be read. */
public final class DisconnectAdvice {

  private DisconnectAdvice() {
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.This Object connection) {
    RedisHooks.closed(connection);
  }
}
