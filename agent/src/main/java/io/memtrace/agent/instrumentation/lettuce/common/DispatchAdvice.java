package io.memtrace.agent.instrumentation.lettuce.common;

import io.memtrace.agent.bootstrap.LettuceHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code RedisChannelHandler.dispatch}: where Lettuce, traced by the OpenTelemetry agent, takes
 * the current context for that agent's span of the command. Only when that agent started first
 * (see {@code OtelSuppressor}): the context made current here tells its instrumentation to stand
 * aside, so the command has one span, memtrace's.
 */
public final class DispatchAdvice {

  private DispatchAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter() {
    return LettuceHooks.suppressOtherSpans();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object otelScope) {
    LettuceHooks.endSuppression(otelScope);
  }
}
