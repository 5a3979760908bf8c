package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model call that streams to a handler: its span is published when the handler is told the end (also before
 * the call returned, on another thread), when the call throws, or when a partial response's context says the
 * stream was cancelled; never at the call's return, and once.
 */
class StreamingCallsTest {

  private static final int CALL = MethodHooks.MODEL_FLAG | MethodHooks.HANDLER_FLAG | 1;
  private static final int END = MethodHooks.HANDLER_FLAG | 2;
  private static final int CHECK = MethodHooks.HANDLER_FLAG | MethodHooks.STREAM_FLAG | 3;

  private final List<MethodFrame> ended = new ArrayList<>();

  /** A stand-in for LangChain4j's PartialResponseContext and its StreamingHandle. */
  public static final class Context {
    public final Handle handle = new Handle();

    public Handle streamingHandle() {
      return handle;
    }
  }

  public static final class Handle {
    boolean cancelled;

    public boolean isCancelled() {
      return cancelled;
    }
  }

  @BeforeEach
  void install() {
    Bridge.install(new EventSink.Ignoring() {
      @Override
      public void publishMethodEnd(MethodFrame frame) {
        MethodFrame copy = frame.copy();
        copy.thrown = frame.thrown;
        copy.returned = frame.returned;
        ended.add(copy);
      }
    }, false, true);
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
  }

  @Test
  void shouldEndWhenTheHandlerIsToldNotWhenTheCallReturns() {
    Object handler = new Object();
    int depth = MethodHooks.enter(CALL, "model", "request", handler, null, null, null, null);
    MethodHooks.exit(depth, null, null);
    assertThat(ended).isEmpty();

    Object response = "response";
    MethodHooks.enter(END, handler, response, null, null, null, null, null);
    MethodHooks.enter(END, handler, response, null, null, null, null, null); // a wrapper's inner handler

    assertThat(ended).singleElement().satisfies(f -> {
      assertThat(f.returned()).isSameAs(response);
      assertThat(f.thrown()).isNull();
    });
  }

  @Test
  void shouldEndWhenToldBeforeTheCallReturned() {
    Object handler = new Object();
    int depth = MethodHooks.enter(CALL, "model", "request", handler, null, null, null, null);
    MethodHooks.enter(END, handler, new IllegalStateException("boom"), null, null, null, null, null);
    MethodHooks.exit(depth, null, null);

    assertThat(ended).singleElement().satisfies(f -> assertThat(f.thrown()).hasMessage("boom"));
  }

  @Test
  void shouldEndWhenThePartialResponsesContextSaysCancelled() {
    Object handler = new Object();
    Context context = new Context();
    MethodHooks.exit(MethodHooks.enter(CALL, "model", "request", handler, null, null, null, null), null, null);

    MethodHooks.exit(MethodHooks.enter(CHECK, handler, "partial", context, null, null, null, null), null, null);
    assertThat(ended).isEmpty();
    int depth = MethodHooks.enter(CHECK, handler, "partial", context, null, null, null, null);
    context.handle.cancelled = true; // the application cancels inside its handler
    MethodHooks.exit(depth, null, null);

    assertThat(ended).singleElement()
        .satisfies(f -> assertThat(f.thrown()).isInstanceOf(java.util.concurrent.CancellationException.class));
  }
}
