package io.memtrace.agent.instrumentation.jedis.v3_0;

import io.memtrace.agent.bootstrap.JedisScopes;
import net.bytebuddy.asm.Advice;

/**
 * Jedis 3: {@code BinaryJedis.multi()} sends {@code MULTI} and reads its reply at once; that
 * command belongs to the transaction span that {@code exec()} ends, not to a span of its own.
 */
public final class MultiAdvice {

  private MultiAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter() {
    JedisScopes.transactionOpening(true);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit() {
    JedisScopes.transactionOpening(false);
  }
}
