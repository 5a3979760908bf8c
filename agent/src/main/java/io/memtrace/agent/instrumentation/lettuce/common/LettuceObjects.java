package io.memtrace.agent.instrumentation.lettuce.common;

import io.memtrace.agent.util.ClientCallFailures;
import io.memtrace.agent.instrumentation.NettyAddresses;
import io.memtrace.agent.redis.AsyncClient;
import io.memtrace.agent.redis.CommandDecoder;
import io.memtrace.agent.redis.RedisReply;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * What the consumer reads from Lettuce's objects (5.1 to 7.x) (see {@link AsyncClient}), through their public
 * API only; consumer thread only.
 */
public final class LettuceObjects implements AsyncClient {

  private static final byte[] MULTI = {'M', 'U', 'L', 'T', 'I'};
  private static final byte[] EXEC = {'E', 'X', 'E', 'C'};
  private static final byte[] DISCARD = {'D', 'I', 'S', 'C', 'A', 'R', 'D'};
  private static final String LIST_SUBSCRIBER = "io.lettuce.core.output.ListSubscriber";

  private final LettuceArguments arguments = new LettuceArguments();
  private final NettyAddresses addresses = new NettyAddresses();

  @Override
  public CommandDecoder decoder() {
    return arguments;
  }

  @Override
  public Framing framing(Object command) {
    LettuceApi api = LettuceApi.of(command);
    if (api == null) {
      return Framing.NONE;
    }
    try {
      byte[] name = (byte[]) api.keywordBytes.invokeExact((Object) api.getType.invokeExact(command));
      return Arrays.equals(name, MULTI) ? Framing.MULTI : Arrays.equals(name, EXEC) ? Framing.EXEC
          : Arrays.equals(name, DISCARD) ? Framing.DISCARD : Framing.NONE;
    } catch (Throwable t) {
      return ClientCallFailures.neutral(t, Framing.NONE);
    }
  }

  @Override
  public Object reply(Object command) {
    LettuceApi api = LettuceApi.of(command);
    if (api == null) {
      return null;
    }
    try {
      Object output = (Object) api.getOutput.invokeExact(command);
      if (output == null) {
        return null;
      }
      if (api.streamingOutput.isInstance(output)) {
        Object subscriber = (Object) api.getSubscriber.invokeExact(output);
        if (subscriber == null || !subscriber.getClass().getName().equals(LIST_SUBSCRIBER)) {
          return RedisReply.UNKNOWN; // streamed to a reactive subscriber, not kept
        }
      }
      return (Object) api.outputGet.invokeExact(output);
    } catch (Throwable t) {
      return ClientCallFailures.neutral(t, null);
    }
  }

  @Override
  public Throwable errorReply(Object command) {
    LettuceApi api = LettuceApi.of(command);
    if (api == null) {
      return null;
    }
    try {
      Object output = (Object) api.getOutput.invokeExact(command);
      String error = output == null ? null : (String) (Object) api.outputError.invokeExact(output);
      return error == null ? null : exception(api, error);
    } catch (Throwable t) {
      return ClientCallFailures.neutral(t, null);
    }
  }

  @Override
  public Throwable errorReply(Object command, String message) {
    LettuceApi api = LettuceApi.of(command);
    if (api == null || message == null) {
      return null;
    }
    try {
      return exception(api, message);
    } catch (Throwable t) {
      return ClientCallFailures.neutral(t, null);
    }
  }

  /**
   * Lettuce's own mapping (RedisBusyException, RedisNoScriptException...), so the span names the type the
   * application was handed; made here, its stack would only show memtrace.
   */
  private static Throwable exception(LettuceApi api, String error) throws Throwable {
    Throwable exception = (Throwable) api.executionException.invokeExact(error);
    exception.setStackTrace(new StackTraceElement[0]);
    return exception;
  }

  @Override
  public InetSocketAddress address(Object channel) {
    return addresses.of(channel);
  }
}
