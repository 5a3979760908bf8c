package io.memtrace.agent.instrumentation.micrometer.v1_0;

import io.memtrace.agent.bootstrap.ObservedModelHooks;
import io.micrometer.observation.Observation;
import net.bytebuddy.asm.Advice;

/** {@code onStart(context)} returned: the observation's span exists; a chat model's goes to the consumer. */
public final class StartAdvice {

  private StartAdvice() {
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.This Object handler, @Advice.Argument(0) Observation.Context context) {
    Object latch = ObservedModelHooks.started(handler, context);
    if (latch != null) {
      context.put(ObservedModelHooks.KEY, latch);
    }
  }
}
