package io.memtrace.collector.keyspace.notify;

import io.memtrace.collector.keyspace.RedisUrl;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What a subscriber finds on connecting, and what it does about it: reads {@code notify-keyspace-events}, under
 * {@code on} adds the flags it lacks, and picks the channels. The decisions:
 * <ul>
 *   <li>the server sends some of the events: subscribe ({@code __keyevent@*__:*} when {@code E} is set, else
 *       {@code __keyspace@*__:*}), state {@code on};</li>
 *   <li>it sends none: no subscription, state {@code off};</li>
 *   <li>{@code CONFIG} refused (an ACL without {@code +config|get}, a renamed or disabled command, a managed Redis):
 *       state {@code unavailable}, and subscribe all the same, since a server set up elsewhere (a parameter group)
 *       may send them: what arrives is recorded, but an absence means nothing.</li>
 * </ul>
 *
 * @param pattern the PSUBSCRIBE pattern, or null when the watcher does not subscribe
 * @param flags   the setting as read after any change; null when it could not be read
 * @param changed under {@code on}, the setting before the watcher added to it; null when unchanged
 */
record SubscriptionSetup(String state, String pattern, NotifyFlags flags, String error, String changed) {

  static final String KEYEVENT = "__keyevent@*__:*";
  static final String KEYSPACE = "__keyspace@*__:*";
  static final String PARAMETER = "notify-keyspace-events";

  static SubscriptionSetup of(Jedis jedis, EventsMode mode) {
    NotifyFlags flags;
    try {
      flags = read(jedis);
    } catch (JedisDataException e) {
      return new SubscriptionSetup(NotificationStatus.UNAVAILABLE, KEYEVENT, null, "CONFIG GET " + PARAMETER
          + " refused (" + e.getMessage() + "): which events the server sends is unknown", null);
    }
    String error = null;
    String changed = null;
    if (mode == EventsMode.ON && !flags.sendsAll()) {
      try {
        jedis.configSet(PARAMETER, flags.withNeeded());
        changed = flags.config();
        flags = read(jedis);
      } catch (JedisDataException e) {
        error = "CONFIG SET " + PARAMETER + " refused (" + e.getMessage() + ")";
      }
    }
    if (!flags.sendsAny()) {
      return new SubscriptionSetup(error == null ? NotificationStatus.OFF : NotificationStatus.UNAVAILABLE, null,
          flags, error, changed);
    }
    return new SubscriptionSetup(error == null ? NotificationStatus.ON : NotificationStatus.UNAVAILABLE,
        flags.keyevent() ? KEYEVENT : KEYSPACE, flags, error, changed);
  }

  static NotifyFlags read(Jedis jedis) {
    var reply = jedis.configGet(PARAMETER);
    return new NotifyFlags(reply.getOrDefault(PARAMETER, ""));
  }

  String config() {
    return flags == null ? null : flags.config();
  }

  /** The line the watcher logs: what it found, what it did, what is unknown and how to turn it on. */
  String describe(RedisUrl url, EventsMode mode) {
    String head = "keyspace notifications of " + url.address() + " (--keyspace-events " + mode + "): ";
    String how = "turn them on with --keyspace-events on (needs +config|set), or CONFIG SET " + PARAMETER + " "
        + (flags == null ? NotifyFlags.NEEDED : flags.withNeeded());
    if (flags == null) {
      return head + error + "; subscribed to " + pattern + " all the same: what arrives is recorded, but expiries, "
          + "evictions and outside changes that do not arrive are unknown";
    }
    String found = "the server's " + PARAMETER + " is '" + flags.config() + "'"
        + (changed == null ? "" : " (was '" + changed + "', the watcher added " + NotifyFlags.NEEDED + "'s missing flags)");
    if (pattern == null) {
      return head + found + (error == null ? "" : "; " + error) + "; not subscribed: " + flags.unknown()
          + " will be unknown; " + how;
    }
    String unknown = flags.unknown();
    return head + found + (error == null ? "" : "; " + error) + "; subscribed to " + pattern
        + (unknown.isEmpty() ? "" : "; " + unknown + " will be unknown; " + how);
  }
}
