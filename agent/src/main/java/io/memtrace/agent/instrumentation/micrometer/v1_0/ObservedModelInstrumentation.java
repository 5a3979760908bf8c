package io.memtrace.agent.instrumentation.micrometer.v1_0;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.ClassMarkers;
import io.memtrace.agent.instrumentation.KnownTypes;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Micrometer Tracing 1.x (tested with 1.5.12): its {@code DefaultTracingObservationHandler} makes an observation a
 * span in {@code onStart} and ends it in {@code onStop}. Where a Spring AI chat-model observation is such a span,
 * memtrace makes no model span of its own and gives that one its links to memory (see ObservedModelHooks).
 */
public final class ObservedModelInstrumentation {

  static final String HANDLER = "io.micrometer.tracing.handler.DefaultTracingObservationHandler";
  /** Added in 1.0.0. */
  private static final String MARKER = "io.micrometer.tracing.handler.TracingObservationHandler";
  private static final String ADVICE = "io.memtrace.agent.instrumentation.micrometer.v1_0.";

  private ObservedModelInstrumentation() {
  }

  /** Binary names of the classes it transforms (the start-up gate holds them back until ready). */
  public static Set<String> classNames() {
    return Set.of(HANDLER);
  }

  public static KnownTypes install(KnownTypes types) {
    return types.transform(ClassMarkers.where(named(HANDLER), List.of(MARKER), List.of()),
        new AgentBuilder.Transformer.ForAdvice().include(ObservedModelInstrumentation.class.getClassLoader())
            .advice(named("onStart").and(takesArguments(1)), ADVICE + "StartAdvice")
            .advice(named("onStop").and(takesArguments(1)), ADVICE + "StopAdvice"));
  }
}
