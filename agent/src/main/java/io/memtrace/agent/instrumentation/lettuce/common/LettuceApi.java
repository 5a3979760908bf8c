package io.memtrace.agent.instrumentation.lettuce.common;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The Lettuce and Netty methods the consumer calls on an application's command objects, as
 * method handles typed with {@code Object} and resolved once per command class against the class
 * loader of the Lettuce it belongs to: memtrace's own classes cannot link against the
 * application's Lettuce (a Spring Boot application loads it from a loader memtrace's classes do
 * not see), and {@code Method.invoke} would cost an arguments array and access checks per call.
 * Public API only ({@code RedisCommand}, {@code CommandOutput}, {@code ByteBuf}...), so nothing is
 * made accessible.
 */
final class LettuceApi {

  private static final ClassValue<LettuceApi> BY_COMMAND_CLASS = new ClassValue<LettuceApi>() {
    @Override
    protected LettuceApi computeValue(Class<?> type) {
      Class<?> redisCommand = find(type, "io.lettuce.core.protocol.RedisCommand");
      if (redisCommand == null) {
        return null;
      }
      try {
        return new LettuceApi(redisCommand);
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return null;
      }
    }
  };

  final MethodHandle getType;        // (command) ProtocolKeyword
  final MethodHandle keywordBytes;   // (keyword) byte[]
  final MethodHandle getOutput;      // (command) CommandOutput
  final MethodHandle outputGet;      // (output) value
  final MethodHandle outputError;    // (output) String
  final Class<?> streamingOutput;
  final MethodHandle getSubscriber;  // (streaming output) Subscriber
  final MethodHandle executionException; // (String) RedisCommandExecutionException
  final MethodHandle encode;         // (command, buffer) void
  final MethodHandle newBuffer;      // () ByteBuf
  final MethodHandle clear;          // (buffer) void
  final MethodHandle readableBytes;  // (buffer) int
  final MethodHandle readerIndex;    // (buffer) int
  final MethodHandle capacity;       // (buffer) int
  final MethodHandle hasArray;       // (buffer) boolean
  final MethodHandle array;          // (buffer) byte[]
  final MethodHandle arrayOffset;    // (buffer) int
  /**
   * The heap buffer {@link LettuceArguments} encodes commands of this Lettuce into, reused; made on
   * first use. Consumer thread only; kept here so it goes with the application's classes.
   */
  Object buffer;

  private LettuceApi(Class<?> redisCommand) throws ReflectiveOperationException {
    ClassLoader loader = redisCommand.getClassLoader();
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    Class<?> keyword = Class.forName("io.lettuce.core.protocol.ProtocolKeyword", false, loader);
    Class<?> output = Class.forName("io.lettuce.core.output.CommandOutput", false, loader);
    Class<?> byteBuf = Class.forName("io.netty.buffer.ByteBuf", false, loader);
    getType = virtual(lookup, redisCommand, "getType", keyword);
    keywordBytes = virtual(lookup, keyword, "getBytes", byte[].class);
    getOutput = virtual(lookup, redisCommand, "getOutput", output);
    outputGet = virtual(lookup, output, "get", Object.class);
    outputError = virtual(lookup, output, "getError", String.class);
    streamingOutput = Class.forName("io.lettuce.core.output.StreamingOutput", false, loader);
    getSubscriber = virtual(lookup, streamingOutput, "getSubscriber",
        Class.forName("io.lettuce.core.output.StreamingOutput$Subscriber", false, loader));
    Class<?> factory = exceptionFactory(loader);
    executionException = lookup.findStatic(factory, "createExecutionException",
        MethodType.methodType(Class.forName("io.lettuce.core.RedisCommandExecutionException", false, loader), String.class))
        .asType(MethodType.methodType(Throwable.class, String.class));
    encode = lookup.findVirtual(redisCommand, "encode", MethodType.methodType(void.class, byteBuf))
        .asType(MethodType.methodType(void.class, Object.class, Object.class));
    Class<?> unpooled = Class.forName("io.netty.buffer.Unpooled", false, loader);
    newBuffer = MethodHandles.insertArguments(
        lookup.findStatic(unpooled, "buffer", MethodType.methodType(byteBuf, int.class)), 0, 256)
        .asType(MethodType.methodType(Object.class));
    clear = virtual(lookup, byteBuf, "clear", byteBuf).asType(MethodType.methodType(void.class, Object.class));
    readableBytes = virtual(lookup, byteBuf, "readableBytes", int.class);
    readerIndex = virtual(lookup, byteBuf, "readerIndex", int.class);
    capacity = virtual(lookup, byteBuf, "capacity", int.class);
    hasArray = virtual(lookup, byteBuf, "hasArray", boolean.class);
    array = virtual(lookup, byteBuf, "array", byte[].class);
    arrayOffset = virtual(lookup, byteBuf, "arrayOffset", int.class);
  }

  /** Lettuce's own mapping of an error reply to an exception: moved to {@code internal} in 6.0. */
  private static Class<?> exceptionFactory(ClassLoader loader) throws ClassNotFoundException {
    try {
      return Class.forName("io.lettuce.core.internal.ExceptionFactory", false, loader);
    } catch (ClassNotFoundException before6) {
      return Class.forName("io.lettuce.core.ExceptionFactory", false, loader); // 5.1 to 5.x
    }
  }

  /** The handles for {@code command}'s class, or null when it is no Lettuce command. */
  static LettuceApi of(Object command) {
    return command == null ? null : BY_COMMAND_CLASS.get(command.getClass());
  }

  /** A no-argument method typed {@code (Object)R}, {@code R} being {@code Object} for reference returns. */
  private static MethodHandle virtual(MethodHandles.Lookup lookup, Class<?> owner, String name,
      Class<?> returns) throws ReflectiveOperationException {
    MethodHandle handle = lookup.findVirtual(owner, name, MethodType.methodType(returns));
    Class<?> erased = returns.isPrimitive() || returns == byte[].class ? returns : Object.class;
    return handle.asType(MethodType.methodType(erased, Object.class));
  }

  /** {@code type} itself or the supertype of it named {@code name}, or null. */
  static Class<?> find(Class<?> type, String name) {
    if (type == null) {
      return null;
    }
    if (type.getName().equals(name)) {
      return type;
    }
    for (Class<?> implemented : type.getInterfaces()) {
      Class<?> found = find(implemented, name);
      if (found != null) {
        return found;
      }
    }
    return find(type.getSuperclass(), name);
  }
}
