package io.memtrace.agent.bootstrap;

import java.lang.reflect.Method;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Observes a Reactor {@code Flux} or {@code Mono} a model call returned, through its own operators
 * ({@code doOnNext}, {@code doOnError}, {@code doFinally}, looked up once per class), so that the call's span
 * ends when the stream completes, fails or is cancelled, with the last element (a streamed response's usage
 * comes with it). The application gets a stream with the same elements and signals; memtrace never holds a
 * Reactor type of its own.
 */
final class StreamEnds {

  /** What a cancelled stream's span records as its error. */
  static final CancellationException CANCELLED = new CancellationException("the stream was cancelled");

  static {
    CANCELLED.setStackTrace(new StackTraceElement[0]);
  }

  private static final ClassValue<Method[]> OPERATORS = new ClassValue<Method[]>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      if (!isReactor(type)) {
        return null;
      }
      try {
        return new Method[] {type.getMethod("doOnNext", Consumer.class), type.getMethod("doOnError", Consumer.class),
            type.getMethod("doFinally", Consumer.class)};
      } catch (NoSuchMethodException | SecurityException e) {
        return null;
      }
    }
  };

  private StreamEnds() {
  }

  private static boolean isReactor(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals("reactor.core.publisher.Flux") || c.getName().equals("reactor.core.publisher.Mono")) {
        return true;
      }
    }
    return false;
  }

  /** The stream observed for {@code frame}'s end, or null when it is no stream memtrace knows. */
  static Object observe(Object stream, MethodFrame frame) throws ReflectiveOperationException {
    Method[] operators = OPERATORS.get(stream.getClass());
    if (operators == null) {
      return null;
    }
    Observer observer = new Observer(frame);
    Object observed = operators[0].invoke(stream, observer.next);
    observed = operators[1].invoke(observed, observer.error);
    return operators[2].invoke(observed, observer.end);
  }

  private static final class Observer {
    private final MethodFrame frame;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Object last;
    private volatile Throwable failure;

    final Consumer<Object> next = value -> last = value;
    final Consumer<Object> error = t -> failure = (Throwable) t;
    final Consumer<Object> end = this::ended;

    Observer(MethodFrame frame) {
      this.frame = frame;
    }

    private void ended(Object signal) {
      if (ended.compareAndSet(false, true)) {
        Throwable cause = failure;
        if (cause == null && "CANCEL".equals(((Enum<?>) signal).name())) {
          cause = CANCELLED;
        }
        MethodHooks.complete(frame, last, cause);
      }
    }
  }
}
