package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Root memtrace spans join what the installed reader reports; nested ones keep memtrace's parent. */
class OtelSpanReaderTest {

  private final RecordingSink sink = new RecordingSink();
  private long internalErrorsBefore;

  @BeforeEach
  void install() {
    internalErrorsBefore = Bridge.internalErrors();
    Bridge.install(sink, false, true);
  }

  @AfterEach
  void uninstall() {
    OtelSpanReader.install(null);
    Bridge.uninstall();
  }

  private static OtelSpanReader reporting(long high, long low, long span) {
    return new OtelSpanReader() {
      @Override
      protected boolean readCurrent(JoinedParent parent) {
        parent.set(high, low, span, true);
        return true;
      }
    };
  }

  @Test
  void shouldMakeARootSpanAChildOfTheCurrentOpenTelemetrySpanAndNestedOnesChildrenOfIt() {
    OtelSpanReader.install(reporting(0x0af7L, 0x319cL, 0xb7adL));

    int outer = MethodHooks.enter(1, null, null, null, null, null, null, null);
    MethodFrame root = ThreadContext.current().frameAt(outer);
    int inner = MethodHooks.enter(2, null, null, null, null, null, null, null);
    MethodFrame nested = ThreadContext.current().frameAt(inner);

    assertThat(root.traceIdHigh()).isEqualTo(0x0af7L);
    assertThat(root.traceIdLow()).isEqualTo(0x319cL);
    assertThat(root.parentSpanId()).isEqualTo(0xb7adL);
    assertThat(root.otelParent()).isTrue();
    assertThat(nested.traceIdLow()).isEqualTo(0x319cL);
    assertThat(nested.parentSpanId()).isEqualTo(root.spanId());
    assertThat(nested.otelParent()).isFalse();
    MethodHooks.exit(inner, null, null);
    MethodHooks.exit(outer, null, null);
  }

  @Test
  void shouldStartATraceOfItsOwnWhenNoReaderIsInstalledOrItFindsNoSpan() {
    int depth = MethodHooks.enter(1, null, null, null, null, null, null, null);
    MethodFrame alone = ThreadContext.current().frameAt(depth);
    assertThat(alone.parentSpanId()).isZero();
    assertThat(alone.otelParent()).isFalse();
    MethodHooks.exit(depth, null, null);

    OtelSpanReader.install(new OtelSpanReader() {
      @Override
      protected boolean readCurrent(JoinedParent parent) {
        return false;
      }
    });
    depth = MethodHooks.enter(1, null, null, null, null, null, null, null);
    assertThat(ThreadContext.current().frameAt(depth).parentSpanId()).isZero();
    MethodHooks.exit(depth, null, null);
  }

  @Test
  void shouldCountAFailingReaderAndStartATraceOfItsOwn() {
    OtelSpanReader.install(new OtelSpanReader() {
      @Override
      protected boolean readCurrent(JoinedParent parent) {
        throw new IllegalStateException("broken API");
      }
    });

    int depth = MethodHooks.enter(1, null, null, null, null, null, null, null);

    assertThat(depth).isPositive();
    assertThat(ThreadContext.current().frameAt(depth).parentSpanId()).isZero();
    assertThat(Bridge.internalErrors() - internalErrorsBefore).isEqualTo(1);
    MethodHooks.exit(depth, null, null);
  }
}
