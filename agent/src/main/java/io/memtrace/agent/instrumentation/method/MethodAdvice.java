package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.bootstrap.MethodHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every configured memory-manager and task method. It only hands references to the
 * bootstrap hooks; the rule id is a constant bound per method, so nothing is looked up here.
 * Primitive arguments are boxed to be captured (ints from -128 to 127 without allocating).
 */
public final class MethodAdvice {

  private MethodAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static int enter(@RuleId int rule,
      @Advice.This(optional = true) Object self,
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object a0,
      @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object a1,
      @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object a2,
      @Advice.Argument(value = 3, optional = true, typing = Assigner.Typing.DYNAMIC) Object a3,
      @Advice.Argument(value = 4, optional = true, typing = Assigner.Typing.DYNAMIC) Object a4,
      @Advice.Argument(value = 5, optional = true, typing = Assigner.Typing.DYNAMIC) Object a5) {
    return MethodHooks.enter(rule, self, a0, a1, a2, a3, a4, a5);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter int depth,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    MethodHooks.exit(depth, returned, thrown);
  }
}
