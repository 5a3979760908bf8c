package io.memtrace.agent.otel;

import io.memtrace.agent.bootstrap.OtelSuppressor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Suppresses the OpenTelemetry agent's instrumentation inside the Redis client methods where
 * memtrace's advice asks it to (Jedis's command writes and batch methods, Lettuce's dispatch,
 * Redisson's {@code RedisConnection.send}): makes current the agent's context with the key of
 * its API's {@code InstrumentationUtil} set, which every Instrumenter's {@code shouldStart} answers with no. The key is private to that
 * class, whose public way to set it only runs a {@code Runnable}; advice cannot hand one over
 * without allocating, so the key is read once from its field instead. Costs two small allocations
 * per command (the context and its scope), and only when the OpenTelemetry agent started first.
 */
final class ClientSpanSuppressor extends OtelSuppressor {

  private final MethodHandle open;
  private final MethodHandle close;

  private ClientSpanSuppressor(MethodHandle open, MethodHandle close) {
    this.open = open;
    this.close = close;
  }

  /** A suppressor onto the OpenTelemetry agent's API; throws when it lacks the pieces. */
  static ClientSpanSuppressor create(OtelApi api) throws ReflectiveOperationException {
    Class<?> context = api.load("context.Context");
    Class<?> key = api.load("context.ContextKey");
    Class<?> scope = api.load("context.Scope");
    Class<?> util;
    try {
      util = api.load("api.impl.InstrumentationUtil"); // where the agent's API has it
    } catch (ClassNotFoundException e) {
      util = api.load("api.internal.InstrumentationUtil"); // and the API 1.x itself
    }
    Field field = util.getDeclaredField("SUPPRESS_INSTRUMENTATION_KEY");
    field.setAccessible(true);
    Object suppressKey = field.get(null);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    MethodHandle current = lookup.findStatic(context, "current", MethodType.methodType(context));
    MethodHandle with = lookup.findVirtual(context, "with", MethodType.methodType(context, key, Object.class));
    MethodHandle suppressed = MethodHandles.insertArguments(with, 1, suppressKey, Boolean.TRUE);
    MethodHandle makeCurrent = lookup.findVirtual(context, "makeCurrent", MethodType.methodType(scope));
    MethodHandle open = MethodHandles.filterReturnValue(MethodHandles.filterReturnValue(current, suppressed), makeCurrent);
    MethodHandle close = lookup.findVirtual(scope, "close", MethodType.methodType(void.class));
    return new ClientSpanSuppressor(open.asType(MethodType.methodType(Object.class)),
        close.asType(MethodType.methodType(void.class, Object.class)));
  }

  @Override
  protected Object open() {
    try {
      return (Object) open.invokeExact();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  protected void close(Object scope) {
    try {
      close.invokeExact(scope);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
