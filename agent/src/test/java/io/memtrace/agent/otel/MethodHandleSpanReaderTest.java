package io.memtrace.agent.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.bootstrap.JoinedParents;
import io.memtrace.agent.bootstrap.OtelSpanReader;
import io.memtrace.agent.bootstrap.ThreadContext;
import io.opentelemetry.api.internal.InstrumentationUtil;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The method-handle reader and suppressor against a real OpenTelemetry API: the copy on the test
 * class path stands for the application's (in the agent jar the names differ only by prefix).
 */
class MethodHandleSpanReaderTest {

  private static final OtelApi API = OtelApi.applications(MethodHandleSpanReaderTest.class.getClassLoader());

  @AfterEach
  void uninstall() {
    OtelSpanReader.install(null);
  }

  private static Span span(TraceFlags flags) {
    return Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        flags, TraceState.getDefault()));
  }

  @Test
  void shouldReadTheSpanMadeCurrentThroughTheApi() throws Exception {
    OtelSpanReader.install(MethodHandleSpanReader.create(API));
    ThreadContext context = ThreadContext.current();

    assertThat(context.joinOtelSpan()).as("no span current").isFalse();
    try (Scope scope = span(TraceFlags.getDefault()).makeCurrent()) {
      assertThat(context.joinOtelSpan()).isTrue();
    }
    assertThat(context.joinOtelSpan()).as("after the scope closed").isFalse();

    JoinedParents.assertTheW3cExample(context.joinedParent(), false);
  }

  @Test
  void shouldBindOnFirstUseAndPutTheBoundReaderInItsPlace() {
    BindingSpanReader binding = new BindingSpanReader(API);
    OtelSpanReader.install(binding);

    try (Scope scope = span(TraceFlags.getSampled()).makeCurrent()) {
      assertThat(ThreadContext.current().joinOtelSpan()).isTrue();
    }
    assertThat(OtelSpanReader.installed()).isInstanceOf(MethodHandleSpanReader.class);
    assertThat(ThreadContext.current().joinedParent().sampled()).isTrue();
  }

  @Test
  void shouldSuppressInstrumentationInsideTheScopeOnly() throws Exception {
    ClientSpanSuppressor suppressor = ClientSpanSuppressor.create(API);

    Object scope = suppressor.open();
    assertThat(InstrumentationUtil.shouldSuppressInstrumentation(Context.current())).isTrue();
    suppressor.close(scope);

    assertThat(InstrumentationUtil.shouldSuppressInstrumentation(Context.current())).isFalse();
  }
}
