package io.memtrace.agent.instrumentation;

import io.memtrace.agent.util.ClientCallFailures;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The server address of a client's Netty channel ({@code Channel.remoteAddress()}), through the
 * application's Netty (memtrace's classes do not link against it), for the clients built on
 * Netty. The same object every time for one channel, kept while the channel lives: the span
 * factory caches by its identity. Consumer thread only.
 */
public final class NettyAddresses {

  private static final String NETTY_CHANNEL = "io.netty.channel.Channel";

  /** {@code Channel.remoteAddress()}, per channel class; null for a class that is no channel. */
  private static final ClassValue<MethodHandle> REMOTE_ADDRESS = new ClassValue<MethodHandle>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      Class<?> channel = implemented(type, NETTY_CHANNEL);
      try {
        return channel == null ? null : MethodHandles.publicLookup()
            .findVirtual(channel, "remoteAddress", MethodType.methodType(SocketAddress.class))
            .asType(MethodType.methodType(SocketAddress.class, Object.class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  };

  private final Map<Object, InetSocketAddress> addresses = new WeakHashMap<>();

  /** The remote address of {@code channel}, or null when it has none (closed, not a channel). */
  public InetSocketAddress of(Object channel) {
    if (channel == null) {
      return null;
    }
    InetSocketAddress known = addresses.get(channel);
    if (known != null) {
      return known;
    }
    MethodHandle remoteAddress = REMOTE_ADDRESS.get(channel.getClass());
    if (remoteAddress == null) {
      return null;
    }
    try {
      SocketAddress address = (SocketAddress) remoteAddress.invokeExact(channel);
      if (address instanceof InetSocketAddress) {
        addresses.put(channel, (InetSocketAddress) address);
        return (InetSocketAddress) address;
      }
      return null;
    } catch (Throwable t) {
      return ClientCallFailures.neutral(t, null);
    }
  }

  /** The interface named {@code name} that {@code type} implements, or null. */
  private static Class<?> implemented(Class<?> type, String name) {
    for (Class<?> t = type; t != null; t = t.getSuperclass()) {
      for (Class<?> implemented : t.getInterfaces()) {
        if (implemented.getName().equals(name)) {
          return implemented;
        }
        Class<?> deeper = implemented(implemented, name);
        if (deeper != null) {
          return deeper;
        }
      }
    }
    return null;
  }
}
