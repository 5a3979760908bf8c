package io.memtrace.agent.values;

import io.memtrace.agent.bootstrap.MeasuredReply;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.redis.RedisReply;
import io.memtrace.agent.span.SpanRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code memory.value} events of one Redis command (issue 51's wire): which commands write a value, what each
 * did to it ({@link ValueWrite}), and whether a conditional one took effect, read from the command's arguments as
 * sent and its reply. A command writing several keys (MSET) gives one event per key, in command order. Runs on the
 * consumer thread only, where the arguments are no longer the client's to change.
 */
public final class RedisValueEvents {

  /** A batch's replies are not kept: a conditional command in one cannot say whether it wrote. */
  public static final Object REPLY_UNKNOWN = new Object();

  private final ValueCapture capture;
  private final ValueEventWriter writer;

  public RedisValueEvents(ValueCapture capture) {
    this.capture = capture;
    this.writer = new ValueEventWriter(capture.maxBytes());
  }

  public boolean isOff() {
    return capture.isOff();
  }

  /**
   * Whether {@code command}, which succeeded with {@code reply} ({@code replyLength} for a bulk reply only
   * measured), gives at least one event: cheap enough to ask before retention decides, so that a span carrying a
   * value is kept.
   */
  public boolean wanted(RedisCommandInfo command, Object reply, int replyLength) {
    if (capture.isOff()) {
      return false;
    }
    ValueWrite write = ValueWrite.of(command.name());
    if (write == null || !tookEffect(write, command, reply, replyLength)) {
      return false;
    }
    List<byte[]> args = command.args();
    if (write.layout == ValueWrite.Layout.PAIRS) {
      for (int i = 1; i + 1 < args.size(); i += 2) {
        if (capture.captures(utf8(args.get(i)))) {
          return true;
        }
      }
      return false;
    }
    return args.size() > write.valueAt && capture.captures(utf8(args.get(1)));
  }

  /** Adds {@code command}'s events to {@code record}, timed {@code epochNanos}; see {@link #wanted}. */
  public void add(RedisCommandInfo command, Object reply, int replyLength, long epochNanos, SpanRecord record) {
    if (wanted(command, reply, replyLength)) {
      addWanted(command, epochNanos, record);
    }
  }

  /** {@link #add} of a command {@link #wanted} has just said yes to. */
  public void addWanted(RedisCommandInfo command, long epochNanos, SpanRecord record) {
    ValueWrite write = ValueWrite.of(command.name());
    List<byte[]> args = command.args();
    if (write.layout == ValueWrite.Layout.PAIRS) {
      for (int i = 1; i + 1 < args.size(); i += 2) {
        one(write, args.get(i), args, i + 1, i + 2, epochNanos, record); // each key a TEXT event
      }
      return;
    }
    int from = write.valueAt;
    if (write == ValueWrite.ZADD) {
      while (from < args.size() && ValueWrite.isZaddOption(args.get(from))) {
        from++;
      }
    }
    int to = write.layout == ValueWrite.Layout.TEXT ? from + 1 : args.size();
    one(write, args.get(1), args, from, to, epochNanos, record);
  }

  private void one(ValueWrite write, byte[] key, List<byte[]> args, int from, int to, long epochNanos,
      SpanRecord record) {
    String shown = utf8(key);
    if (!capture.captures(shown)) {
      return;
    }
    String namespace = capture.namespaceOf(shown);
    record.addEvent(writer.event(write, args, from, to, epochNanos, shown, namespace));
  }

  /** Whether a command that may decline to write (SETNX, SET NX, RPUSHX...) wrote; others always did. */
  static boolean tookEffect(ValueWrite write, RedisCommandInfo command, Object reply, int replyLength) {
    switch (write.condition) {
      case NONE:
        return true;
      case COUNT:
        return counted(reply);
      case SET_OPTIONS:
        return setTookEffect(command.args(), reply, replyLength);
      case ZADD_OPTIONS:
        // NX, XX, GT, LT and INCR make the reply's count say too little of which members changed: not captured
        for (byte[] arg : command.args().subList(2, command.args().size())) {
          if (ValueWrite.isZaddOption(arg) && !ValueWrite.is(arg, "CH")) {
            return false;
          }
        }
        return true;
      default:
        return false;
    }
  }

  private static boolean setTookEffect(List<byte[]> args, Object reply, int replyLength) {
    boolean nx = false;
    boolean xx = false;
    boolean get = false;
    for (int i = 3; i < args.size(); i++) {
      byte[] arg = args.get(i);
      nx |= ValueWrite.is(arg, "NX");
      xx |= ValueWrite.is(arg, "XX");
      get |= ValueWrite.is(arg, "GET");
    }
    if (!nx && !xx) {
      return true;
    }
    if (reply == REPLY_UNKNOWN) {
      return false;
    }
    boolean nil = replyLength < 0 && isNil(reply);
    // SET NX/XX answers OK or nil; with GET it answers the old value instead, nil when there was none
    return get ? (nx ? nil : !nil) : !nil;
  }

  private static boolean isNil(Object reply) {
    if (reply instanceof MeasuredReply) {
      return !((MeasuredReply) reply).present();
    }
    return RedisReply.isNil(reply);
  }

  private static boolean counted(Object reply) {
    if (reply instanceof Number) {
      return ((Number) reply).longValue() > 0;
    }
    if (reply instanceof Boolean) {
      return (Boolean) reply; // Lettuce's SETNX, HSETNX, MSETNX
    }
    if (reply instanceof MeasuredReply) {
      return Boolean.TRUE.equals(((MeasuredReply) reply).counted());
    }
    return false;
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
