package io.memtrace.agent.instrumentation.lettuce.common;

import io.memtrace.agent.bootstrap.LettuceHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code AbstractRedisReactiveCommands.decorate(Supplier, TraceContext)}: with Lettuce's tracing on
 * (the OpenTelemetry agent's), a reactive command is wrapped in a {@code TracedCommand} holding the
 * context current when it was subscribed to, before memtrace's dispatch advice could keep that
 * agent's span from starting. Only while memtrace does keep them from starting (that agent started
 * first), the command is left unwrapped: {@code RedisChannelHandler.dispatch} then wraps it itself,
 * inside that advice, so it too has one span, memtrace's.
 */
public final class ReactiveTracingAdvice {

  private ReactiveTracingAdvice() {
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.Argument(0) Object commandSupplier,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object decorated) {
    if (LettuceHooks.leavesTracingToDispatch()) {
      decorated = commandSupplier;
    }
  }
}
