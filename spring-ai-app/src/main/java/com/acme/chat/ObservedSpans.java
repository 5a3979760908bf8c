package com.acme.chat;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spring AI's own observations made OpenTelemetry spans, as an application that traces with Micrometer Tracing's
 * OpenTelemetry bridge has them: an {@link ObservationRegistry} with a tracing handler over an SDK of the app's
 * own, which counts the model-call spans ({@code chat ...}) it ends instead of exporting them.
 */
final class ObservedSpans {

  private final AtomicInteger modelSpans = new AtomicInteger();
  private final ObservationRegistry registry = ObservationRegistry.create();

  ObservedSpans() {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {
      }

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        if (span.getName().startsWith("chat ")) {
          modelSpans.incrementAndGet();
        }
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    }).build();
    OtelTracer tracer = new OtelTracer(provider.get("assistant"), new OtelCurrentTraceContext(), event -> { });
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
  }

  ObservationRegistry registry() {
    return registry;
  }

  int modelSpans() {
    return modelSpans.get();
  }
}
