package io.memtrace.agent.pipeline;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collection;

/**
 * Whether a model client's calls already get a span from another instrumentation, so that memtrace makes
 * none: Spring AI's models observe every call through their {@code observationRegistry}, and when a Micrometer
 * Tracing handler is registered there (with the OpenTelemetry bridge: an OpenTelemetry span), that observation
 * is the call's span. Read by reflection on the consumer thread, once per registry. Consumer thread only.
 */
final class ObservedModels {

  private static final ClassValue<Field> REGISTRY = new ClassValue<Field>() {
    @Override
    protected Field computeValue(Class<?> type) {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        try {
          Field f = c.getDeclaredField("observationRegistry");
          return f.trySetAccessible() ? f : null;
        } catch (NoSuchFieldException | SecurityException e) {
          // look further up
        }
      }
      return null;
    }
  };
  private static final int MAX_DEPTH = 4;

  private final WeakIdentityMap<Boolean> traced = new WeakIdentityMap<>(1_000);

  /** Whether {@code model}'s calls are spans of another instrumentation already. */
  boolean tracedElsewhere(Object model) {
    if (model == null) {
      return false;
    }
    Field field = REGISTRY.get(model.getClass());
    if (field == null) {
      return false;
    }
    try {
      Object registry = field.get(model);
      if (registry == null) {
        return false;
      }
      Boolean known = traced.get(registry);
      if (known == null) {
        known = hasTracingHandler(registry);
        traced.put(registry, known);
      }
      return known;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static boolean hasTracingHandler(Object registry) throws ReflectiveOperationException {
    Method configOf = registry.getClass().getMethod("observationConfig");
    configOf.trySetAccessible(); // the registry's class may be package-private (SimpleObservationRegistry)
    Object config = configOf.invoke(registry);
    Method handlers = declared(config.getClass(), "getObservationHandlers"); // package-private in Micrometer
    return handlers != null && anyTracing(handlers.invoke(config), 0);
  }

  /** A no-arg method of that name declared by the class or a superclass, made accessible; or null. */
  private static Method declared(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Method m = c.getDeclaredMethod(name);
        return m.trySetAccessible() ? m : null;
      } catch (NoSuchMethodException | SecurityException e) {
        // look further up
      }
    }
    return null;
  }

  /** A handler of Micrometer Tracing, or a composite (first-matching, all-matching) holding one. */
  private static boolean anyTracing(Object handlers, int depth) throws ReflectiveOperationException {
    if (!(handlers instanceof Collection) || depth > MAX_DEPTH) {
      return false;
    }
    for (Object handler : (Collection<?>) handlers) {
      if (handler == null) {
        continue;
      }
      if (handler.getClass().getName().startsWith("io.micrometer.tracing.")) {
        return true;
      }
      Method inner = declared(handler.getClass(), "getHandlers");
      if (inner != null && anyTracing(inner.invoke(handler), depth + 1)) {
        return true;
      }
    }
    return false;
  }
}
