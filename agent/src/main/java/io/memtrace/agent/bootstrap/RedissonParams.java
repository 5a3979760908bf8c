package io.memtrace.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A copy of what a Redisson command was sent with, taken when its reply is read: Redisson encodes
 * values with the application's codec into Netty buffers on the application's thread and releases
 * them once the command completes, so the consumer, later, could read nothing of them. Strings,
 * numbers and arrays are kept as they are (the consumer encodes them as Redisson's encoder does);
 * a buffer is copied into a {@code byte[]}, through the application's Netty, resolved once per
 * buffer class (memtrace's classes do not link against it).
 */
public final class RedissonParams {

  private static final String BYTE_BUF = "io.netty.buffer.ByteBuf";

  /** {@code ByteBufUtil.getBytes(ByteBuf)} typed {@code (Object)byte[]}, per class; null for a class that is no buffer. */
  private static final ClassValue<MethodHandle> GET_BYTES = new ClassValue<MethodHandle>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      Class<?> byteBuf = supertype(type, BYTE_BUF);
      if (byteBuf == null) {
        return null;
      }
      try {
        Class<?> util = Class.forName("io.netty.buffer.ByteBufUtil", false, byteBuf.getClassLoader());
        return MethodHandles.publicLookup()
            .findStatic(util, "getBytes", MethodType.methodType(byte[].class, byteBuf))
            .asType(MethodType.methodType(byte[].class, Object.class));
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return null;
      }
    }
  };

  /** Stands for a parameter that could not be copied (a buffer released already). */
  public static final byte[] UNREADABLE = new byte[0];

  private RedissonParams() {
  }

  /**
   * {@code {name, subName, params...}}, each parameter kept or copied as the class says; a
   * {@code null} subName is kept as null.
   */
  public static Object[] snapshot(String name, String subName, Object[] params) {
    int n = params == null ? 0 : params.length;
    Object[] copy = new Object[n + 2];
    copy[0] = name;
    copy[1] = subName;
    for (int i = 0; i < n; i++) {
      copy[i + 2] = kept(params[i]);
    }
    return copy;
  }

  private static Object kept(Object param) {
    if (param == null || param instanceof String || param instanceof byte[] || param instanceof Number) {
      return param;
    }
    MethodHandle getBytes = GET_BYTES.get(param.getClass());
    if (getBytes == null) {
      return param; // ChannelName and the like: immutable, encoded by the consumer from toString
    }
    try {
      return (byte[]) getBytes.invokeExact(param);
    } catch (Throwable t) {
      if (t instanceof Error && !(t instanceof LinkageError)) {
        throw (Error) t;
      }
      return UNREADABLE;
    }
  }

  /** {@code type} itself or the supertype of it named {@code name}, or null. */
  static Class<?> supertype(Class<?> type, String name) {
    if (type == null) {
      return null;
    }
    if (type.getName().equals(name)) {
      return type;
    }
    for (Class<?> implemented : type.getInterfaces()) {
      Class<?> found = supertype(implemented, name);
      if (found != null) {
        return found;
      }
    }
    return supertype(type.getSuperclass(), name);
  }
}
