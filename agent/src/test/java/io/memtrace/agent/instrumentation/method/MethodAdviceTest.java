package io.memtrace.agent.instrumentation.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.MethodHooks;
import io.memtrace.agent.bootstrap.ThreadContext;
import io.memtrace.agent.instrumentation.method.MethodRecorder.Published;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MethodAdvice} written into a real class by Byte Buddy's {@code redefine}, with the
 * bootstrap hooks behind it: what the application's method returns and throws is untouched, and
 * the span frames are pushed, published and popped as the call goes.
 */
class MethodAdviceTest {

  private static final int MEMORY_RULE = 7;
  private static final int TASK_RULE = 3 | MethodHooks.TASK_FLAG;

  /** What the redefined class is called through; it lives in the test's loader. */
  public interface Calls {
    String get(String key);

    String outer(String key);

    String fail(String key);

    int count(int n);

    CompletableFuture<String> later(CompletableFuture<String> pending);

    /** The span current on the thread the last time {@code get} or {@code fail} ran. */
    long seenSpanId();
  }

  /**
   * Reads the span current on the thread. It lives in the test's loader, so the application's
   * class can call it even where the bootstrap classes are hidden from that class.
   */
  public static final class SpanProbe {
    private SpanProbe() {
    }

    public static long currentSpanId() {
      return ThreadContext.current().currentSpanId();
    }
  }

  /** The application's class. */
  public static class Notes implements Calls {
    private long seen;

    @Override
    public String get(String key) {
      seen = SpanProbe.currentSpanId();
      return "v:" + key;
    }

    @Override
    public String outer(String key) {
      return get(key);
    }

    @Override
    public String fail(String key) {
      seen = SpanProbe.currentSpanId();
      throw new IllegalArgumentException("no " + key);
    }

    @Override
    public int count(int n) {
      return n + 1;
    }

    @Override
    public CompletableFuture<String> later(CompletableFuture<String> pending) {
      return pending;
    }

    @Override
    public long seenSpanId() {
      return seen;
    }
  }

  private final MethodRecorder sink = new MethodRecorder();

  private static Calls advised(int rule, AdvisedClass.Bridge bridge) {
    AdvisedClass advised = new AdvisedClass();
    for (String method : new String[] {"get", "outer", "fail", "count", "later"}) {
      advised.advise(method, rule);
    }
    return advised.instance(Notes.class, Calls.class, bridge);
  }

  @BeforeEach
  void installSink() {
    Bridge.install(sink, false, true);
  }

  @AfterEach
  void uninstallSink() {
    Bridge.uninstall();
  }

  @Nested
  class Reentry {

    private Calls advised(int outerRule, int getRule) {
      return new AdvisedClass().advise("outer", outerRule).advise("get", getRule)
          .instance(Notes.class, Calls.class, AdvisedClass.Bridge.SHARED);
    }

    @Test
    void shouldMakeOneSpanWhenAnOperationDelegatesToItsOverloadOnTheSameObject() {
      int group = 5 << MethodHooks.GROUP_SHIFT;
      Calls notes = advised(1 | group, 2 | group);

      assertThat(notes.outer("k")).isEqualTo("v:k");

      assertThat(sink.ends).hasSize(1);
      assertThat(sink.ends.get(0).rule).isEqualTo(1 | group);
      assertThat(notes.seenSpanId()).as("the inner call runs inside the outer span").isEqualTo(sink.ends.get(0).spanId);
      assertThat(ThreadContext.current().currentSpanId()).isZero();
    }

    @Test
    void shouldKeepBothSpansForDifferentOperations() {
      Calls notes = advised(1 | 5 << MethodHooks.GROUP_SHIFT, 2 | 6 << MethodHooks.GROUP_SHIFT);

      notes.outer("k");

      assertThat(sink.ends).hasSize(2);
      assertThat(sink.ends.get(0).parentSpanId).isEqualTo(sink.ends.get(1).spanId);
    }
  }

  @Nested
  class Frames {

    @Test
    void shouldMakeTheCallsSpanCurrentOnlyWhileItRuns() {
      Calls notes = advised(MEMORY_RULE, AdvisedClass.Bridge.SHARED);

      assertThat(notes.get("k")).isEqualTo("v:k");

      assertThat(sink.ends).hasSize(1);
      Published end = sink.ends.get(0);
      assertThat(notes.seenSpanId()).isNotZero().isEqualTo(end.spanId);
      assertThat(ThreadContext.current().currentSpanId()).as("popped after the call").isZero();
      assertThat(end.rule).isEqualTo(MEMORY_RULE);
      assertThat(end.self).isSameAs(notes);
      assertThat(end.arg0).isEqualTo("k");
      assertThat(end.returned).isEqualTo("v:k");
      assertThat(end.parentSpanId).isZero();
    }

    @Test
    void shouldLinkANestedCallToTheCallAroundIt() {
      Calls notes = advised(MEMORY_RULE, AdvisedClass.Bridge.SHARED);

      notes.outer("k");

      assertThat(sink.ends).hasSize(2);
      Published inner = sink.ends.get(0);
      Published outer = sink.ends.get(1);
      assertThat(inner.parentSpanId).isEqualTo(outer.spanId);
      assertThat(inner.traceIdLow).isEqualTo(outer.traceIdLow);
      assertThat(inner.startNanos).isGreaterThanOrEqualTo(outer.startNanos);
      assertThat(inner.endNanos).isLessThanOrEqualTo(outer.endNanos);
    }

    @Test
    void shouldPopTheFrameWhenTheMethodThrows() {
      Calls notes = advised(MEMORY_RULE, AdvisedClass.Bridge.SHARED);

      assertThatThrownBy(() -> notes.fail("k")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no k");

      assertThat(ThreadContext.current().currentSpanId()).isZero();
      assertThat(sink.ends).singleElement().satisfies(end -> {
        assertThat(end.thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("no k");
        assertThat(end.spanId).isEqualTo(notes.seenSpanId());
      });
    }

    @Test
    void shouldPublishOnlyTheEndOfAMemoryCall() {
      advised(MEMORY_RULE, AdvisedClass.Bridge.SHARED).get("k");

      assertThat(sink.starts).isEmpty();
      assertThat(sink.ends).hasSize(1);
    }

    @Test
    void shouldPublishATasksStartWithItsStartTimeAndIds() {
      Calls notes = advised(TASK_RULE, AdvisedClass.Bridge.SHARED);
      notes.get("warm-up"); // the frame is reused: a stale start time must not leak into the next call

      long before = System.nanoTime();
      notes.get("k");
      long after = System.nanoTime();

      Published start = sink.starts.get(1);
      Published end = sink.ends.get(1);
      assertThat(start.startNanos).isBetween(before, after).isEqualTo(end.startNanos);
      assertThat(start.spanId).isEqualTo(end.spanId).isEqualTo(notes.seenSpanId());
      assertThat(start.arg0).isEqualTo("k");
    }
  }

  @Nested
  class Values {

    @Test
    void shouldPassPrimitiveArgumentsAndResultsThrough() {
      Calls notes = advised(MEMORY_RULE, AdvisedClass.Bridge.SHARED);

      assertThat(notes.count(41)).isEqualTo(42);

      assertThat(sink.ends.get(0).arg0).isEqualTo(41);
      assertThat(sink.ends.get(0).returned).isEqualTo(42);
    }

    @ParameterizedTest
    @EnumSource(AdvisedClass.Bridge.class)
    void shouldReturnAndThrowExactlyWhatTheMethodDoesWhateverTheHooksDo(AdvisedClass.Bridge bridge) {
      Calls notes = advised(TASK_RULE, bridge);

      assertThat(notes.get("k")).isEqualTo("v:k");
      assertThat(notes.outer("o")).isEqualTo("v:o");
      assertThat(notes.count(1)).isEqualTo(2);
      CompletableFuture<String> pending = new CompletableFuture<>();
      assertThat(notes.later(pending)).isSameAs(pending);
      assertThatThrownBy(() -> notes.fail("k")).isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("no k").hasNoSuppressedExceptions();
    }

    @Test
    void shouldCountEachCallWhenEveryHookThrowsInside() throws Exception {
      Calls notes = advised(TASK_RULE, AdvisedClass.Bridge.FAILING);

      notes.get("k");
      assertThatThrownBy(() -> notes.fail("k")).isInstanceOf(IllegalArgumentException.class);

      assertThat(AdvisedClass.internalErrors(notes)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {MEMORY_RULE, TASK_RULE})
    void shouldPopEveryFrameAndCountTheFailureWhenTheSinkThrows(int rule) {
      Calls notes = advised(rule, AdvisedClass.Bridge.SHARED);
      long before = Bridge.internalErrors();
      sink.failing = true;

      assertThat(notes.outer("k")).isEqualTo("v:k");
      assertThatThrownBy(() -> notes.fail("k")).hasMessage("no k");

      // a task fails at its start (outer, get, fail), a memory call at its end (get, outer, fail)
      assertThat(Bridge.internalErrors() - before).isEqualTo(3);
      assertThat(ThreadContext.current().currentSpanId()).as("every frame popped").isZero();
      sink.failing = false;
      notes.get("after");
      assertThat(sink.ends.get(sink.ends.size() - 1).parentSpanId)
          .as("the next call is a root again").isZero();
    }
  }

  @Nested
  class CompletionStages {

    @Test
    void shouldEndTheSpanWhenTheStageCompletesNotWhenTheMethodReturns() {
      Calls notes = advised(MEMORY_RULE, AdvisedClass.Bridge.SHARED);
      CompletableFuture<String> pending = new CompletableFuture<>();

      assertThat(notes.later(pending)).isSameAs(pending);
      assertThat(sink.ends).as("still running").isEmpty();
      assertThat(ThreadContext.current().currentSpanId()).as("not current after the return").isZero();
      long beforeCompletion = System.nanoTime();
      pending.complete("done");

      assertThat(sink.ends).singleElement().satisfies(end -> {
        assertThat(end.returned).isEqualTo("done");
        assertThat(end.thrown).isNull();
        assertThat(end.endNanos).isGreaterThanOrEqualTo(beforeCompletion);
        assertThat(end.arg0).isSameAs(pending);
      });
    }

    @Test
    void shouldEndWithTheApplicationsOwnExceptionWhenTheStageFails() {
      Calls notes = advised(MEMORY_RULE, AdvisedClass.Bridge.SHARED);
      CompletableFuture<String> pending = new CompletableFuture<>();
      CompletableFuture<String> dependent = notes.later(pending);
      IllegalStateException failure = new IllegalStateException("index offline");

      pending.completeExceptionally(new CompletionException(failure));

      assertThat(dependent.isCompletedExceptionally()).isTrue();
      assertThat(sink.ends).singleElement().satisfies(end -> {
        assertThat(end.thrown).isSameAs(failure);
        assertThat(end.returned).isNull();
      });
    }

    @Test
    void shouldEndOnTheThreadThatCompletesTheStage() throws Exception {
      Calls notes = advised(MEMORY_RULE, AdvisedClass.Bridge.SHARED);
      CompletableFuture<String> pending = new CompletableFuture<>();
      notes.later(pending);

      Thread completer = new Thread(() -> pending.complete("elsewhere"), "completer");
      completer.start();
      completer.join();

      assertThat(sink.ends).singleElement().satisfies(end -> {
        assertThat(end.thread).isEqualTo("completer");
        assertThat(end.returned).isEqualTo("elsewhere");
      });
    }
  }
}
