package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.bootstrap.RedisHooks;
import net.bytebuddy.asm.Advice;

/** {@code Pipeline.sync()}, {@code Transaction.exec()} and the like: the commands queued become one span. */
public final class BatchAdvice {

  private BatchAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter() {
    RedisHooks.batchStarted();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Origin("#m") String method, @Advice.Thrown Throwable thrown) {
    RedisHooks.batchEnded(method, thrown);
  }
}
