package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.util.ClientCallFailures;
import io.memtrace.agent.bootstrap.MeasuredReply;
import io.memtrace.agent.instrumentation.NettyAddresses;
import io.memtrace.agent.redis.AsyncClient;
import io.memtrace.agent.redis.CommandDecoder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;

/**
 * What the consumer reads from Redisson's objects (see {@link AsyncClient}), through their public
 * API only; consumer thread only. A reply comes measured with its end ({@code MeasuredReply}), so
 * nothing is read from the command for it.
 */
public final class RedissonObjects implements AsyncClient {

  /** {@code new E(String)} for an exception class of Redisson's, or null when it has none. */
  private static final ClassValue<MethodHandle> WITH_MESSAGE = new ClassValue<MethodHandle>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      try {
        return MethodHandles.publicLookup().findConstructor(type, MethodType.methodType(void.class, String.class))
            .asType(MethodType.methodType(Throwable.class, String.class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  };

  /** Where Redisson's messages go on from what Redis said to the channel and the command's arguments. */
  private static final String[] DETAILS = {". channel: ", " channel: ", "command: ", "params: "};

  private final RedissonArguments arguments = new RedissonArguments();
  private final NettyAddresses addresses = new NettyAddresses();

  @Override
  public boolean owns(Object command) {
    return RedissonApi.of(command) != null;
  }

  @Override
  public CommandDecoder decoder() {
    return arguments;
  }

  @Override
  public Framing framing(Object command) {
    RedissonApi api = RedissonApi.of(command);
    if (api == null) {
      return Framing.NONE;
    }
    try {
      String name = (String) api.getName.invokeExact((Object) api.getCommand.invokeExact(command));
      return "MULTI".equals(name) ? Framing.MULTI : "EXEC".equals(name) ? Framing.EXEC
          : "DISCARD".equals(name) ? Framing.DISCARD : Framing.NONE;
    } catch (Throwable t) {
      return ClientCallFailures.neutral(t, Framing.NONE);
    }
  }

  @Override
  public Object reply(Object command) {
    return null; // not measured: its end did not come from the decoder (a queued command)
  }

  @Override
  public Throwable errorReply(Object command) {
    return null; // an error reply fails the command: it comes as the end's error
  }

  /**
   * Redisson's message cut where it goes on to the channel and the command's arguments; for an
   * exception without a message (MOVED, ASK), Redis's own words from the wire. Of the exception's
   * class, or of its nearest superclass that takes a message.
   */
  @Override
  public Throwable shown(Throwable error, Object reply) {
    String message = error.getMessage();
    int cut = detailsAt(message);
    String shownMessage = cut >= 0 ? message.substring(0, cut)
        : message == null && reply instanceof MeasuredReply ? ((MeasuredReply) reply).errorText() : null;
    if (shownMessage == null) {
      return error;
    }
    Throwable shown = null;
    for (Class<?> type = error.getClass(); shown == null && type != null && Throwable.class.isAssignableFrom(type);
        type = type.getSuperclass()) {
      MethodHandle withMessage = WITH_MESSAGE.get(type);
      try {
        shown = withMessage == null ? null : (Throwable) withMessage.invokeExact(shownMessage);
      } catch (Throwable t) {
        ClientCallFailures.neutral(t, null);
      }
    }
    if (shown == null) {
      shown = new RuntimeException(shownMessage);
    }
    shown.setStackTrace(error.getStackTrace());
    return shown;
  }

  /** Where the details Redisson appends to a message start, or -1 when it has none. */
  static int detailsAt(String message) {
    if (message == null) {
      return -1;
    }
    int cut = -1;
    for (String details : DETAILS) {
      int at = message.indexOf(details);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    return cut;
  }

  @Override
  public InetSocketAddress address(Object channel) {
    return addresses.of(channel);
  }
}
