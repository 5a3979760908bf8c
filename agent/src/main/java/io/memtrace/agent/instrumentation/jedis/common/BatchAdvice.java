package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.bootstrap.RedisHooks;
import net.bytebuddy.asm.Advice;

/** {@code Pipeline.sync()}, {@code Transaction.exec()} and the like: the commands queued become one span. */
public final class BatchAdvice {

  private BatchAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Local("otelScope") Object otelScope) {
    otelScope = RedisHooks.suppressOtherSpans();
    RedisHooks.batchStarted();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Origin("#m") String method, @Advice.Thrown Throwable thrown,
      @Advice.Local("otelScope") Object otelScope) {
    RedisHooks.endSuppression(otelScope);
    RedisHooks.batchEnded(method, thrown);
  }
}
