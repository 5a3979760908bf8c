package io.memtrace.agent.instrumentation.jedis.v4_0;

import io.memtrace.agent.bootstrap.JedisScopes;
import io.memtrace.agent.bootstrap.RedisHooks;
import net.bytebuddy.asm.Advice;

/** Jedis 4+: {@code Connection.sendCommand(CommandArguments)}, the one place every command is written. */
public final class SendCommandAdvice {

  private SendCommandAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static long enter(@Advice.Local("otelScope") Object otelScope) {
    otelScope = JedisScopes.suppressOtherSpans();
    return System.nanoTime();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.This Object connection, @Advice.FieldValue("socket") Object socket,
      @Advice.Argument(0) Object command, @Advice.Enter long start,
      @Advice.Thrown Throwable thrown, @Advice.Local("otelScope") Object otelScope) {
    JedisScopes.endSuppression(otelScope);
    RedisHooks.sent(connection, socket, command, null, start, thrown);
  }
}
