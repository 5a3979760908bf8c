package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The Redisson methods the consumer calls on an application's {@code CommandData}, as method
 * handles typed with {@code Object}, resolved once per command class through the class loader of
 * the Redisson it belongs to (memtrace's classes cannot link against the application's Redisson).
 * Public API only.
 */
final class RedissonApi {

  static final String COMMAND_DATA = "org.redisson.client.protocol.CommandData";

  private static final ClassValue<RedissonApi> BY_COMMAND_CLASS = new ClassValue<RedissonApi>() {
    @Override
    protected RedissonApi computeValue(Class<?> type) {
      Class<?> commandData = supertype(type, COMMAND_DATA);
      if (commandData == null) {
        return null;
      }
      try {
        return new RedissonApi(commandData);
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return null;
      }
    }
  };

  final MethodHandle getCommand;  // (CommandData) RedisCommand
  final MethodHandle getName;     // (RedisCommand) String
  final MethodHandle getSubName;  // (RedisCommand) String
  final MethodHandle getParams;   // (CommandData) Object[]

  private RedissonApi(Class<?> commandData) throws ReflectiveOperationException {
    ClassLoader loader = commandData.getClassLoader();
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    Class<?> redisCommand = Class.forName("org.redisson.client.protocol.RedisCommand", false, loader);
    getCommand = virtual(lookup, commandData, "getCommand", redisCommand, Object.class);
    getName = virtual(lookup, redisCommand, "getName", String.class, String.class);
    getSubName = virtual(lookup, redisCommand, "getSubName", String.class, String.class);
    getParams = virtual(lookup, commandData, "getParams", Object[].class, Object[].class);
  }

  /** The handles for {@code command}'s class, or null when it is no Redisson command. */
  static RedissonApi of(Object command) {
    return command == null ? null : BY_COMMAND_CLASS.get(command.getClass());
  }

  private static MethodHandle virtual(MethodHandles.Lookup lookup, Class<?> owner, String name,
      Class<?> returns, Class<?> typed) throws ReflectiveOperationException {
    return lookup.findVirtual(owner, name, MethodType.methodType(returns))
        .asType(MethodType.methodType(typed, Object.class));
  }

  /** {@code type} itself or the supertype of it named {@code name}, or null. */
  static Class<?> supertype(Class<?> type, String name) {
    for (Class<?> t = type; t != null; t = t.getSuperclass()) {
      if (t.getName().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
