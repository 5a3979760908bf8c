package io.memtrace.agent.instrumentation.micrometer.v1_0;

import io.memtrace.agent.bootstrap.ObservedModelHooks;
import io.micrometer.observation.Observation;
import net.bytebuddy.asm.Advice;

/** {@code onStop(context)}, before it ends the span: a chat model's span waits for its links. */
public final class StopAdvice {

  private StopAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) Observation.Context context) {
    ObservedModelHooks.stopping(context.get(ObservedModelHooks.KEY));
  }
}
