package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.bootstrap.JedisScopes;
import net.bytebuddy.asm.Advice;

/** {@code Pipeline.sync()}, {@code Transaction.exec()} and the like: the commands queued become one span. */
public final class BatchAdvice {

  private BatchAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Local("otelScope") Object otelScope) {
    otelScope = JedisScopes.suppressOtherSpans();
    JedisScopes.batchStarted();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Origin("#m") String method, @Advice.Thrown Throwable thrown,
      @Advice.Local("otelScope") Object otelScope) {
    JedisScopes.endSuppression(otelScope);
    JedisScopes.batchEnded(method, thrown);
  }
}
