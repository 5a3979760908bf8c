package io.memtrace.collector.timeline;

import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The traced commands that change a whole database ({@code FLUSHDB}, {@code FLUSHALL}, {@code SWAPDB}) as events of
 * the records they may have changed. Their span names no key and Redis sends no keyspace event per key for them
 * (Redis 7), so without them a read after one names the change before it. {@code FLUSHDB} empties the database of its
 * span; {@code FLUSHALL} every database; {@code SWAPDB} exchanges two databases its span does not name (the agent
 * hides the arguments), so it may have changed any database of its Redis.
 */
final class WholeDatabase {

  /** The event kind of such a command ({@link Draft#what}). */
  static final String WHAT = "whole_db";

  private WholeDatabase() {
  }

  /**
   * Adds to {@code drafts} an event of each command of {@code commands} (of the Redis asked, when the request names
   * one) for each record of a Redis key it may have changed: same Redis (a span or record without one may be any),
   * and for {@code FLUSHDB} the same database.
   */
  static void add(List<Draft> drafts, List<SpanRow> commands, String redisAsked) {
    if (commands.isEmpty()) {
      return;
    }
    Map<String, Draft> places = new LinkedHashMap<>();
    for (Draft d : drafts) {
      if (d.redis != null || d.record.startsWith("r|")) {
        places.putIfAbsent(d.record, d);
      }
    }
    for (SpanRow c : commands) {
      if (c.error() || redisAsked != null && c.redis() != null && !RedisAddress.same(redisAsked, c.redis())) {
        continue;
      }
      // the command, and a SWAPDB's two databases when its statement showed them ("SWAPDB 0 1")
      String[] words = String.valueOf(c.operation()).toUpperCase(Locale.ROOT).split(" ");
      String command = words[0];
      List<Integer> swapped = words.length == 3 ? List.of(Integer.valueOf(words[1]), Integer.valueOf(words[2])) : null;
      places.forEach((record, place) -> {
        boolean sameRedis = c.redis() == null || place.redis == null || RedisAddress.same(c.redis(), place.redis);
        boolean sameDb = place.db == null || (command.equals("FLUSHDB") ? c.db() == null || c.db().equals(place.db)
            : swapped == null || swapped.contains(place.db));
        if (sameRedis && sameDb) {
          Draft d = new Draft(new SpanRow(c.timeUs(), c.endUs(), c.traceId(), c.spanId(), c.parentSpanId(),
              c.service(), "redis", c.redis(), c.db(), place.span != null ? place.span.key() : place.notification.key(),
              place.span != null ? place.span.namespace() : place.notification.namespace(), "other", command, null,
              null, null, false), record);
          d.what = WHAT;
          d.operation = command;
          d.swapped = swapped != null;
          d.cause = command + " by " + c.service() + " (trace " + c.traceId() + "), " + effect(command, c.db(), swapped);
          drafts.add(d);
        }
      });
    }
  }

  /** What the command did to the databases, in words. */
  private static String effect(String command, Integer db, List<Integer> swapped) {
    return switch (command) {
      case "FLUSHDB" -> "which emptied database " + (db == null ? "(not named)" : db);
      case "FLUSHALL" -> "which emptied every database";
      default -> swapped != null ? "which exchanged databases " + swapped.get(0) + " and " + swapped.get(1)
          : "which exchanged two databases its span does not name";
    };
  }

  /** Whether two events are of the same Redis key on the same Redis (in any database). */
  static boolean sameKey(Draft a, Draft b) {
    String ka = a.span != null ? a.span.key() : a.notification.key();
    String kb = b.span != null ? b.span.key() : b.notification.key();
    return ka != null && ka.equals(kb) && (a.redis == null || b.redis == null || RedisAddress.same(a.redis, b.redis));
  }

  /** Whether {@code d} is such a command's event. */
  static boolean is(Draft d) {
    return WHAT.equals(d.what);
  }

  /**
   * Whether the command replaced what the read's database held, for certain: a FLUSHDB or FLUSHALL, or a SWAPDB that
   * named its databases (this one among them); not a SWAPDB whose databases are not named.
   */
  static boolean emptied(Draft d) {
    return is(d) && (!"SWAPDB".equals(d.operation) || d.swapped);
  }

  /**
   * Whether a read that found a value after {@code command}, and no write after it, saw a value the command brought:
   * a {@code SWAPDB} of the read's database (named on its span), or one after which the key held a value when the
   * record's last change before the command ({@code before}) had removed it. With nothing before it, the value may be from before the store's retention or
   * from an untraced write; after another such command, either may have brought it: unknown.
   */
  static boolean brought(Draft command, Draft before) {
    return "SWAPDB".equals(command.operation) && (before == null || !is(before)) && (command.swapped
        || before != null && (before.deletes() || List.of("expiry", "eviction").contains(before.what)));
  }

  /** What a read that found a value after such a command saw: a value it may have brought, unknown. */
  static KeyTimeline.Ref unknownWriter(Draft d) {
    return new KeyTimeline.Ref(null, null, d.timeUs, null, "unknown", WHAT, d.cause);
  }
}
