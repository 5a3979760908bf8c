package io.memtrace.agent.bootstrap;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model call whose span another instrumentation makes: Spring AI's chat-model observation, made an
 * OpenTelemetry span by Micrometer Tracing's handler. When the handler has started that span, its handler and
 * observation context (which holds the call's prompt) go on the ring; the consumer finds which memory reads the
 * prompt's messages came from, as for memtrace's own model spans, and adds the span links and totals to that span
 * through the application's OpenTelemetry API. A span takes links only until it ends, so the handler's
 * {@code onStop}, before it ends the span, waits until the consumer is done with it: at once in practice (the
 * consumer had the whole model call to do it), and never longer than {@link #WAIT_MILLIS}.
 *
 * <p>Paired by the observation context, which carries the latch: never by thread or time.
 */
public final class ObservedModelHooks {

  /** The rule id of an observed model call's event: no configured rule has both flags. */
  public static final int OBSERVED_MODEL = MethodHooks.MODEL_FLAG | MethodHooks.HANDOFF_FLAG;
  /** Where the latch is kept in the observation context, between {@code onStart} and {@code onStop}. */
  public static final String KEY = "memtrace.model-links";
  /** Spring AI's chat-model observation context: the only observations given links. */
  private static final String CHAT_MODEL_CONTEXT = "org.springframework.ai.chat.observation.ChatModelObservationContext";
  static final long WAIT_MILLIS = 200;

  private static final AtomicLong LATE = new AtomicLong();

  private ObservedModelHooks() {
  }

  /**
   * The tracing handler {@code handler} has started the span of {@code context}'s observation: for a chat-model
   * observation, publishes it and returns the latch to keep in the context, else null.
   */
  public static Object started(Object handler, Object context) {
    if (context == null || !Bridge.methodsEnabled() || !CHAT_MODEL_CONTEXT.equals(context.getClass().getName())) {
      return null;
    }
    try {
      CountDownLatch done = new CountDownLatch(1);
      MethodFrame frame = new MethodFrame();
      frame.set(OBSERVED_MODEL, handler, context, done, null, null, null, null);
      frame.startNanos = System.nanoTime();
      return Bridge.sink().publishObservedModel(frame) ? done : null;
    } catch (Throwable t) {
      Bridge.internalError(t);
      return null;
    }
  }

  /** The handler is about to end the span: waits until its links are added (what {@link #started} returned). */
  public static void stopping(Object latch) {
    if (!(latch instanceof CountDownLatch)) {
      return;
    }
    try {
      if (!((CountDownLatch) latch).await(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        LATE.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the application's interrupt stays set; the span ends without links
    }
  }

  /** Spans that ended before the consumer added their links (it was more than the wait behind). */
  public static long late() {
    return LATE.get();
  }
}
