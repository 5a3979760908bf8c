package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.util.ClientCallFailures;
import io.memtrace.agent.redis.CommandDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a Redisson command's name and arguments on the consumer thread, as Redisson's
 * {@code CommandEncoder} writes them: the name, the sub-command if any, then each parameter (a
 * {@code byte[]} as it is, anything else as the UTF-8 of its {@code toString}). From the copy its
 * completion took ({@code RedissonParams}); a command that ended without one (a transaction's
 * queued commands, read when the transaction ends) is read from the command object, where the
 * values its codec encoded are gone by then: they read as empty, the keys (strings) as sent.
 */
public final class RedissonArguments implements CommandDecoder {

  private static final byte[] EMPTY = new byte[0];

  @Override
  public List<byte[]> decode(Object command, Object arguments, List<byte[]> out) {
    out.clear();
    try {
      if (arguments instanceof Object[]) {
        Object[] sent = (Object[]) arguments;
        words(sent.length > 0 ? sent[0] : null, sent.length > 1 ? sent[1] : null, sent, 2, out);
        return out;
      }
      RedissonApi api = RedissonApi.of(command);
      if (api == null) {
        return out;
      }
      Object redisCommand = (Object) api.getCommand.invokeExact(command);
      String name = (String) api.getName.invokeExact(redisCommand);
      String subName = (String) api.getSubName.invokeExact(redisCommand);
      Object[] params = (Object[]) api.getParams.invokeExact(command);
      words(name, subName, params == null ? new Object[0] : params, 0, out);
    } catch (Throwable t) {
      ClientCallFailures.neutral(t, null);
      out.clear();
    }
    return out;
  }

  private static void words(Object name, Object subName, Object[] params, int from, List<byte[]> out) {
    if (name == null) {
      return;
    }
    out.add(utf8(name));
    if (subName != null) {
      out.add(utf8(subName));
    }
    for (int i = from; i < params.length; i++) {
      Object param = params[i];
      out.add(param instanceof byte[] ? (byte[]) param
          : param instanceof String || param instanceof Number || isRedissonName(param) ? utf8(param) : EMPTY);
    }
  }

  /** Immutable Redisson parameters that encode as their {@code toString} (a pub/sub channel's name). */
  private static boolean isRedissonName(Object param) {
    return param != null && param.getClass().getName().equals("org.redisson.client.ChannelName");
  }

  private static byte[] utf8(Object value) {
    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }
}
