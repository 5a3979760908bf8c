package io.memtrace.agent.redis;

import io.memtrace.agent.bootstrap.MeasuredReply;
import io.memtrace.agent.util.Utf8Text;
import io.memtrace.common.redis.CommandSpec;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads what memtrace needs from a reply: its size in bytes and whether it found data. A Jedis
 * reply is raw ({@code byte[]}, lists of them, {@code Long}); a Lettuce reply is decoded by its
 * codec ({@code String}, {@code byte[]}, {@code ByteBuffer}), possibly in a value holder
 * ({@link ValueHolders}), and answers yes/no questions with {@code Boolean}; a Redisson reply is
 * decoded into the application's own objects, so it comes measured on the wire instead
 * ({@link MeasuredReply}).
 */
public final class RedisReply {

  /**
   * A reply the client did not keep (it streamed the values to a subscriber): it says neither how
   * many bytes were read nor whether anything was found.
   */
  public static final Object UNKNOWN = new Object() {
    @Override
    public String toString() {
      return "unknown reply";
    }
  };

  private RedisReply() {
  }

  /**
   * The one value a reply carries, a bulk string as {@code byte[]}, {@code String} or {@code ByteBuffer} (out of a
   * Lettuce value holder), whose bytes {@link #bytes} counts; {@code null} for any other reply.
   */
  public static Object singleValue(Object reply) {
    Object value = ValueHolders.isHolder(reply) ? ValueHolders.unwrap(reply) : reply;
    return value instanceof byte[] || value instanceof String || value instanceof ByteBuffer ? value : null;
  }

  /** Bytes of data in the reply (bulk strings, nested in arrays), or -1 when it holds none. */
  public static long bytes(Object reply) {
    if (reply instanceof MeasuredReply) {
      return ((MeasuredReply) reply).bytes();
    }
    if (reply instanceof byte[]) {
      return ((byte[]) reply).length;
    }
    if (reply instanceof String) {
      return Utf8Text.encodedLength((String) reply); // what the default codec (UTF-8) read
    }
    if (reply instanceof ByteBuffer) {
      return ((ByteBuffer) reply).remaining();
    }
    if (ValueHolders.isHolder(reply)) {
      return bytes(ValueHolders.unwrap(reply));
    }
    if (reply instanceof Collection) {
      long total = 0;
      boolean any = false;
      for (Object item : (Collection<?>) reply) {
        long b = bytes(item);
        if (b >= 0) {
          total += b;
          any = true;
        }
      }
      return any ? total : -1;
    }
    if (reply instanceof Map) {
      long total = 0;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) reply).entrySet()) {
        total += Math.max(0, bytes(e.getKey())) + Math.max(0, bytes(e.getValue()));
      }
      return total;
    }
    return -1;
  }

  /**
   * Whether a read found something: a nil reply, an empty array or an array of nils is a miss; for
   * counting commands (EXISTS, SMISMEMBER) a zero or an array of zeros is a miss; for a search
   * (FT.SEARCH) a total of zero is. Returns {@code null} when the command says nothing.
   */
  public static Boolean found(RedisCommandInfo command, Object reply) {
    if (reply == UNKNOWN) {
      return null;
    }
    if (reply instanceof MeasuredReply) {
      return found(command, (MeasuredReply) reply);
    }
    switch (command.foundRule()) {
      case NIL:
        return present(reply);
      case COUNT:
        return counted(reply);
      case TOTAL:
        Object total = reply instanceof List && !((List<?>) reply).isEmpty() ? ((List<?>) reply).get(0) : null;
        return total instanceof Number ? ((Number) total).longValue() > 0 : null;
      default:
        return null;
    }
  }

  private static Boolean found(RedisCommandInfo command, MeasuredReply reply) {
    switch (command.foundRule()) {
      case NIL:
        return reply.present();
      case COUNT:
        return reply.counted();
      case TOTAL:
        return reply.firstCount();
      default:
        return null;
    }
  }

  /**
   * The count an integer reply gives (DEL's keys removed), or -1 when the reply says none; a reply measured on the
   * wire (Redisson) says only whether it was 0.
   */
  public static long count(Object reply) {
    if (reply instanceof MeasuredReply) {
      return Boolean.FALSE.equals(((MeasuredReply) reply).counted()) ? 0 : -1;
    }
    Object value = ValueHolders.isHolder(reply) ? ValueHolders.unwrap(reply) : reply;
    return value instanceof Number ? Math.max(-1, ((Number) value).longValue()) : -1;
  }

  private static Boolean counted(Object reply) {
    if (reply instanceof Number) {
      return ((Number) reply).longValue() > 0;
    }
    if (reply instanceof Boolean) {
      return (Boolean) reply; // Lettuce's HEXISTS, SISMEMBER
    }
    if (!(reply instanceof Collection)) {
      return null;
    }
    for (Object item : (Collection<?>) reply) {
      if (item instanceof Number && ((Number) item).longValue() > 0 || Boolean.TRUE.equals(item)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a reply is nil: {@code null}, or a Lettuce value holder that holds none. */
  public static boolean isNil(Object reply) {
    return reply == null || ValueHolders.isHolder(reply) && ValueHolders.unwrap(reply) == null;
  }

  /**
   * What {@link #found} says of a reply that is one bulk string, whatever its bytes: something found for a command
   * whose miss is a nil, nothing said for a count or a search (a bulk string is neither). Runs for every read.
   */
  public static Boolean foundInBulk(RedisCommandInfo command) {
    return command.foundRule() == CommandSpec.Found.NIL ? Boolean.TRUE : null;
  }

  private static boolean present(Object reply) {
    if (reply == null) {
      return false;
    }
    if (reply instanceof Collection) {
      for (Object item : (Collection<?>) reply) {
        if (item != null && (!ValueHolders.isHolder(item) || ValueHolders.unwrap(item) != null)) {
          return true;
        }
      }
      return false;
    }
    if (ValueHolders.isHolder(reply)) {
      return ValueHolders.unwrap(reply) != null;
    }
    if (reply instanceof Map) {
      return !((Map<?, ?>) reply).isEmpty();
    }
    return true;
  }
}
