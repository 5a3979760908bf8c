package io.memtrace.agent.pipeline;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;

/**
 * The items of what a memory read or a prompt holds, read through the accessors the AI frameworks
 * name them by: a list of messages or documents, a LangChain4j search result's {@code matches()},
 * a match's {@code embedded()} segment, a content's {@code textSegment()}. Consumer thread only.
 */
final class PromptParts {

  private static final ClassValue<Method> MATCHES = accessor("matches");
  private static final ClassValue<Method> INNER = accessor("embedded", "textSegment");

  private PromptParts() {
  }

  /** The items of {@code value}: its elements, its matches, or itself alone. */
  static Iterable<?> items(Object value) {
    if (value == null) {
      return Collections.emptyList();
    }
    if (value instanceof Iterable) {
      return (Iterable<?>) value;
    }
    if (value instanceof Object[]) {
      return Arrays.asList((Object[]) value);
    }
    Object matches = call(MATCHES, value);
    if (matches instanceof Iterable) {
      return (Iterable<?>) matches;
    }
    return Collections.singletonList(value);
  }

  /** The segment a search match or a retrieved content wraps, or null. */
  static Object inner(Object item) {
    return call(INNER, item);
  }

  private static Object call(ClassValue<Method> accessor, Object on) {
    Method m = accessor.get(on.getClass());
    if (m == null) {
      return null;
    }
    try {
      return m.invoke(on);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Per class, the first public no-arg, non-void instance method of these names, made accessible; or null. */
  static ClassValue<Method> accessor(String... names) {
    return new ClassValue<Method>() {
      @Override
      protected Method computeValue(Class<?> type) {
        for (String name : names) {
          try {
            Method m = type.getMethod(name);
            if (m.getReturnType() != void.class && !java.lang.reflect.Modifier.isStatic(m.getModifiers())
                && m.trySetAccessible()) {
              return m;
            }
          } catch (NoSuchMethodException | SecurityException e) {
            // try the next name
          }
        }
        return null;
      }
    };
  }
}
