package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code RedisConnection.send(CommandData)}: one attempt of a command, on the thread that got the
 * connection (the application's, when the pool had one free), before it is written: its start.
 * The connection's channel, read here, is the server's address and its database. The
 * OpenTelemetry agent's Redisson instrumentation starts its span here too, inside this advice.
 */
public final class SendAdvice {

  private SendAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object connection, @Advice.FieldValue("channel") Object channel,
      @Advice.Argument(0) Object command) {
    RedissonHooks.sent(connection, channel, command, false);
    return RedissonHooks.suppressOtherSpans();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Argument(0) Object command, @Advice.Thrown Throwable thrown,
      @Advice.Enter Object scope) {
    RedissonHooks.endSuppression(scope);
    if (thrown != null) {
      RedissonHooks.sendFailed(command, thrown);
    }
  }
}
