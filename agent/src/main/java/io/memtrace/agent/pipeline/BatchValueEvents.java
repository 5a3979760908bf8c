package io.memtrace.agent.pipeline;

import io.memtrace.agent.redis.CommandDecoder;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.values.RedisValueEvents;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@code memory.value} events of a pipeline's or transaction's writes, in command order, timed at its end. Its
 * replies are not kept, so a batch with any error, a discarded transaction and a command that may have declined to
 * write (SETNX) give none; nor does a transaction on a connection that WATCHes keys, since EXEC's reply (nil when
 * a watched key changed and nothing ran) is not read either: not captured rather than guessed. Consumer thread only.
 */
final class BatchValueEvents {

  private final RedisValueEvents values;
  /** The connections that said WATCH since their last EXEC, DISCARD or UNWATCH. */
  private final Map<Object, Boolean> watching = new WeakHashMap<>();

  BatchValueEvents(RedisValueEvents values) {
    this.values = values;
  }

  /** Follows a command sent on its own: WATCH starts watching, UNWATCH, EXEC and DISCARD end it. */
  void follow(RedisCommandInfo command, SpanEvent event) {
    if (values.isOff() || event.error != null || event.connection == null) {
      return;
    }
    String name = command.name();
    if (name.equals("WATCH")) {
      watching.put(event.connection, Boolean.TRUE);
    } else if (name.equals("UNWATCH") || name.equals("EXEC") || name.equals("DISCARD")) {
      watching.remove(event.connection);
    }
  }

  /** Adds the batch's events to {@code attrs}; {@code info} and {@code args} are the factory's reused ones. */
  void add(SpanEvent event, SpanRecord attrs, CommandDecoder decoder, RedisCommandInfo info, List<byte[]> args) {
    if (values.isOff()) {
      return;
    }
    String method = event.batchMethod == null ? "" : event.batchMethod;
    boolean watched = event.connection != null && watching.remove(event.connection) != null;
    if (event.error != null || event.batchErrors > 0 || method.startsWith("discard")
        || watched && method.startsWith("exec")) {
      return;
    }
    for (int i = 0; i < event.batchRecorded; i++) {
      if (info.parse(decoder.decode(event.batchCommands[i], event.batchArguments[i], args)).name().equals("WATCH")) {
        return; // watched inside the batch: the same doubt
      }
    }
    for (int i = 0; i < event.batchRecorded; i++) {
      RedisCommandInfo command = info.parse(decoder.decode(event.batchCommands[i], event.batchArguments[i], args));
      values.add(command, RedisValueEvents.REPLY_UNKNOWN, -1, attrs.endEpochNanos, attrs);
    }
  }
}
