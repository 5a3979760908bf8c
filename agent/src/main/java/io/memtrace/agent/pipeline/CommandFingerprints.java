package io.memtrace.agent.pipeline;

import io.memtrace.agent.fingerprint.ValueFingerprint;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.redis.RedisReply;
import io.memtrace.common.redis.CommandEffects;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code memory.value.fingerprint} of the one value a Redis command wrote (the arguments whose bytes
 * {@code memory.value_size} counts) or read (a reply that is one value; the bulk string the application thread
 * kept for it, see {@code RedisCall}). Consumer thread only: its buffer and last result are reused.
 */
final class CommandFingerprints {

  /** {@code capture.fingerprints}: {@code null} when off. */
  private ValueFingerprint fingerprints;
  /** Positions of the values a command writes, reused. */
  private int[] written = new int[8];
  private long last;

  void use(ValueFingerprint fingerprints) {
    this.fingerprints = fingerprints;
  }

  boolean on() {
    return fingerprints != null;
  }

  /** Fingerprints the value {@code command} moved; false when it moved no one value. See {@link #last}. */
  boolean of(RedisCommandInfo command, SpanEvent event) {
    if (command.isWrite()) {
      List<byte[]> args = command.args();
      int count = 0;
      for (int i = CommandEffects.firstWritten(command); i > 0 && i < args.size(); i++) {
        if (CommandEffects.isWritten(command, i)) {
          if (count == written.length) {
            written = Arrays.copyOf(written, count * 2);
          }
          written[count++] = i;
        }
      }
      if (count == 0) {
        return false;
      }
      last = fingerprints.ofParts(args, written, count);
      return true;
    }
    Object value = RedisReply.singleValue(event.reply);
    if (value == null) {
      return false;
    }
    last = fingerprints.of(value);
    return true;
  }

  /** The fingerprint {@link #of} made last. */
  long last() {
    return last;
  }

  /** {@link #last} as the attribute's UTF-8 hex digits ({@link ValueFingerprint#HEX_DIGITS} of them). */
  byte[] lastHex() {
    return fingerprints.hex(last);
  }
}
