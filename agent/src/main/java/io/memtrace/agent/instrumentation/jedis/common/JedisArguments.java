package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.util.ClientCallFailures;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Turns what the Jedis advice captured into the raw bytes of a command, on the consumer thread;
 * the same for every Jedis version family.
 * Jedis 4+ sends a {@code CommandArguments} (an {@code Iterable} of {@code Rawable}); Jedis 3 sends a
 * {@code ProtocolCommand} and a {@code byte[][]}. Jedis classes belong to the application's loader,
 * so they are read through {@code getRaw()} found reflectively, once per class.
 */
public final class JedisArguments {

  /**
   * {@code getRaw()} of each Rawable class as a method handle typed {@code (Object)Object}: called
   * for every argument of every command, where {@code Method.invoke} cost the consumer several
   * percent of its time (access checks, the arguments array).
   */
  private static final ClassValue<MethodHandle> GET_RAW = new ClassValue<MethodHandle>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      try {
        Method m = type.getMethod("getRaw");
        m.setAccessible(true);
        return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  };

  private JedisArguments() {
  }

  /**
   * The command name followed by its arguments, into {@code out}, cleared first (a
   * {@link io.memtrace.agent.redis.CommandDecoder}): the consumer reuses one list for every
   * command, where a new list per command was a good part of what it allocated.
   */
  public static List<byte[]> decode(Object command, Object arguments, List<byte[]> out) {
    out.clear();
    if (command == null) {
      return out;
    }
    if (command instanceof Iterable) {
      for (Object rawable : (Iterable<?>) command) {
        out.add(raw(rawable));
      }
      return out;
    }
    out.add(raw(command));
    if (arguments instanceof byte[][]) {
      for (byte[] arg : (byte[][]) arguments) {
        out.add(arg == null ? new byte[0] : arg);
      }
    }
    return out;
  }

  private static byte[] raw(Object rawable) {
    if (rawable instanceof byte[]) {
      return (byte[]) rawable;
    }
    if (rawable == null) {
      return new byte[0];
    }
    MethodHandle getRaw = GET_RAW.get(rawable.getClass());
    if (getRaw == null) {
      return rawable.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    try {
      Object raw = (Object) getRaw.invokeExact(rawable);
      return raw instanceof byte[] ? (byte[]) raw : new byte[0];
    } catch (Throwable e) {
      return ClientCallFailures.neutral(e, new byte[0]);
    }
  }
}
