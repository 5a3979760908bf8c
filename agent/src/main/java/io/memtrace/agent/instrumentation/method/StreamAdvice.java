package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.bootstrap.MethodHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@link MethodAdvice} for model calls that return a reactive stream: the exit hands back the stream observed
 * for its end (the same elements and signals), so the span lasts as long as the stream.
 */
public final class StreamAdvice {

  private StreamAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static int enter(@RuleId int rule,
      @Advice.This(optional = true) Object self,
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object a0,
      @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object a1) {
    return MethodHooks.enter(rule, self, a0, a1, null, null, null, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter int depth,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    returned = MethodHooks.exitStream(depth, returned, thrown);
  }
}
