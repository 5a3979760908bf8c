package io.memtrace.bench;

import java.lang.reflect.Field;

/**
 * The memtrace agent's internals as the benchmarks read them, by reflection ({@link AgentCounters} in a JMH fork,
 * {@code AgentProbe} in the stress app): they see the agent's classes only through the bootstrap bridge.
 */
public final class AgentFields {

  private AgentFields() {
  }

  /** The value of the field {@code name} that {@code type} declares, on {@code target} (null for a static field). */
  public static Object read(Class<?> type, Object target, String name) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    Object value = field.get(target);
    if (value == null) {
      throw new NoSuchFieldException(type.getName() + "." + name + " is null");
    }
    return value;
  }
}
