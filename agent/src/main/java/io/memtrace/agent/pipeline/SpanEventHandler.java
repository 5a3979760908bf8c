package io.memtrace.agent.pipeline;

import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.span.SpanRecord;
import java.util.Arrays;

/**
 * Turns one event from the ring into a span, or into what a later event's span needs, by its type:
 * Redis commands, set-ups and batches through {@link RedisSpanFactory}; commands whose start and end
 * come as two events through their client's {@link AsyncCommandSpans}; method calls through
 * {@link MethodSpanFactory}; and asks {@link Retention} which Redis spans are kept. Consumer thread
 * only; the polling, batching and export around it are {@link SpanConsumer}'s.
 */
final class SpanEventHandler {

  private final RedisSpanFactory redisSpans;
  private final MethodSpanFactory methodSpans;
  private Retention retention = Retention.off();
  /**
   * Pair the two halves of commands that complete on another thread (Redisson, Lettuce), one per
   * client, asked in order which owns a command; empty without.
   */
  private AsyncCommandSpans[] asyncCommands = new AsyncCommandSpans[0];

  SpanEventHandler(RedisSpanFactory redisSpans, MethodSpanFactory methodSpans) {
    this.redisSpans = redisSpans;
    this.methodSpans = methodSpans;
  }

  void retaining(Retention retention) {
    this.retention = retention;
  }

  void pairing(AsyncCommandSpans pairing) {
    asyncCommands = Arrays.copyOf(asyncCommands, asyncCommands.length + 1);
    asyncCommands[asyncCommands.length - 1] = pairing;
  }

  /** The pairing of {@code command}'s client, or null. */
  private AsyncCommandSpans pairingOf(Object command) {
    for (AsyncCommandSpans pairing : asyncCommands) {
      if (pairing.owns(command)) {
        return pairing;
      }
    }
    return null;
  }

  /**
   * Writes the event's span, if it makes one, into {@code record}; {@code true} when that span joins
   * the batch. A factory that throws leaves the record free.
   */
  boolean write(SpanEvent event, SpanRecord record) {
    switch (event.type) {
      case REDIS_COMMAND:
        // false: compressed, counted, its record free again, and never given the span's attributes
        return redisSpans.command(event, record, retention);
      case REDIS_SET_UP:
        redisSpans.setUp(event);
        return false;
      case REDIS_BATCH:
        return redisSpans.batch(event, record, retention);
      case REDIS_COMMAND_START:
        AsyncCommandSpans starting = pairingOf(event.command);
        if (starting != null) {
          starting.started(event);
        }
        return false;
      case REDIS_COMMAND_END:
        AsyncCommandSpans ending = pairingOf(event.command);
        return ending != null && ending.ended(event, record, retention);
      case METHOD_START:
        methodSpans.started(event);
        return false;
      case METHOD_END:
        if (!methodSpans.ended(event, record)) {
          if (event.spanId != 0) { // a hand-off has no span id, and no children
            retention.endedWithoutSpan(event.spanId);
          }
          return false;
        }
        retention.ended(record);
        return true;
      default:
        return false;
    }
  }

  /** Drops, and counts, the starts that have waited longer than allowed for their end. */
  void expirePairings(long now) {
    for (AsyncCommandSpans pairing : asyncCommands) {
      pairing.expire(now);
    }
  }

  /** Shutting down: every start still waiting for its end is dropped and counted. */
  void abandonPairings() {
    for (AsyncCommandSpans pairing : asyncCommands) {
      pairing.abandonAll();
    }
  }
}
