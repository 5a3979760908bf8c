package io.memtrace.agent.redis;

import io.memtrace.agent.util.ClientCallFailures;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Values a client hands over in holders of its own: Lettuce's {@code Value} and its subclasses
 * ({@code KeyValue}, {@code ScoredValue}, {@code GeoValue}), which may be empty (an {@code MGET}
 * of a missing key). Recognized by the name of the class they extend and read through
 * {@code getValueOrElse}: memtrace never links against a client's classes, which belong to the
 * application's class loader. Only the value counts: a key or a score is not data the command
 * read.
 */
final class ValueHolders {

  static final String LETTUCE_VALUE = "io.lettuce.core.Value";

  /** {@code getValueOrElse(Object)} typed {@code (Object,Object)Object}, or null for a class that is no holder. */
  private static final ClassValue<MethodHandle> GET_VALUE = new ClassValue<MethodHandle>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if (c.getName().equals(LETTUCE_VALUE)) {
          try {
            return MethodHandles.publicLookup()
                .findVirtual(c, "getValueOrElse", MethodType.methodType(Object.class, Object.class))
                .asType(MethodType.methodType(Object.class, Object.class, Object.class));
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
          }
        }
      }
      return null;
    }
  };

  private ValueHolders() {
  }

  /** Whether {@code reply} is a holder (then {@link #unwrap} reads it). */
  static boolean isHolder(Object reply) {
    return reply != null && GET_VALUE.get(reply.getClass()) != null;
  }

  /** The value a holder holds, null for an empty one; anything else is returned as it is. */
  static Object unwrap(Object reply) {
    if (reply == null) {
      return null;
    }
    MethodHandle get = GET_VALUE.get(reply.getClass());
    if (get == null) {
      return reply;
    }
    try {
      return (Object) get.invokeExact(reply, (Object) null);
    } catch (Throwable t) {
      return ClientCallFailures.neutral(t, null);
    }
  }
}
