package io.memtrace.agent.bootstrap;

import java.lang.reflect.Method;

/**
 * Whether a streaming response's context says its stream was cancelled: LangChain4j's
 * {@code PartialResponseContext.streamingHandle().isCancelled()}, read through accessors looked up once per class.
 */
final class Cancellation {

  private static final ClassValue<Method> HANDLE = accessor("streamingHandle");
  private static final ClassValue<Method> CANCELLED = accessor("isCancelled");

  private Cancellation() {
  }

  static boolean cancelled(Object responseContext) {
    if (responseContext == null) {
      return false;
    }
    try {
      Method handle = HANDLE.get(responseContext.getClass());
      Object streaming = handle == null ? null : handle.invoke(responseContext);
      Method cancelled = streaming == null ? null : CANCELLED.get(streaming.getClass());
      return cancelled != null && Boolean.TRUE.equals(cancelled.invoke(streaming));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static ClassValue<Method> accessor(String name) {
    return new ClassValue<Method>() {
      @Override
      protected Method computeValue(Class<?> type) {
        try {
          Method m = type.getMethod(name);
          return m.trySetAccessible() ? m : null;
        } catch (NoSuchMethodException | SecurityException e) {
          return null;
        }
      }
    };
  }
}
