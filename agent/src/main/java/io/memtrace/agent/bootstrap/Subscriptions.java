package io.memtrace.agent.bootstrap;

import java.util.List;

/**
 * Pub/sub replies on one connection, read by a subscriber inside Jedis's pub/sub loop. Messages
 * pushed to a subscriber answer no command. A {@code SUBSCRIBE a b} is confirmed once per channel
 * it names, and an {@code UNSUBSCRIBE} naming none once per channel still subscribed (once if
 * there is none): the command is answered by its last confirmation, so the commands after it keep
 * their own replies. Kept per connection, touched only by the thread reading it.
 */
final class Subscriptions {

  /** Not a pub/sub reply: a reply like any other (a {@code PING}'s pong, an error). */
  static final int NOT_PUB_SUB = 0;
  /** A message pushed to the subscriber; no command is waiting for it. */
  static final int MESSAGE = 1;
  static final int CHANNEL = 2;
  static final int PATTERN = 3;
  static final int SHARD = 4;
  private static final int CONFIRMATION_OF = 4; // family + this = "unsubscribe" of that family

  private static final byte[][] NAMES = {
      bytes("message"), bytes("pmessage"), bytes("smessage"),
      bytes("subscribe"), bytes("psubscribe"), bytes("ssubscribe"),
      bytes("unsubscribe"), bytes("punsubscribe"), bytes("sunsubscribe")};
  private static final int[] KINDS = {MESSAGE, MESSAGE, MESSAGE, CHANNEL, PATTERN, SHARD,
      CHANNEL + CONFIRMATION_OF, PATTERN + CONFIRMATION_OF, SHARD + CONFIRMATION_OF};

  /** The command whose confirmations are being counted, or -1. */
  private long confirming = -1;
  /** Confirmations still due for it; -1 means "until its family has no subscription left". */
  private int confirmationsLeft;
  /** Subscriptions Redis reported last: channels plus patterns, and shard channels apart. */
  private long total;
  private long channels;
  private long patterns;
  private long shardChannels;

  /**
   * What {@code reply} is: {@link #NOT_PUB_SUB}, {@link #MESSAGE}, or a confirmation: the family
   * ({@link #CHANNEL}, {@link #PATTERN}, {@link #SHARD}), plus 4 for an unsubscribe.
   */
  static int kind(Object reply) {
    if (!(reply instanceof List) || ((List<?>) reply).isEmpty()) {
      return NOT_PUB_SUB;
    }
    Object first = ((List<?>) reply).get(0);
    if (!(first instanceof byte[])) {
      return NOT_PUB_SUB;
    }
    for (int i = 0; i < NAMES.length; i++) {
      if (java.util.Arrays.equals(NAMES[i], (byte[]) first)) {
        return KINDS[i];
      }
    }
    return NOT_PUB_SUB;
  }

  /**
   * Counts a confirmation of {@code kind} for the oldest pending command, number {@code number},
   * which names {@code channelsNamed} channels.
   *
   * @return true when this was its last confirmation: the command is answered
   */
  boolean confirm(long number, int kind, Object reply, int channelsNamed) {
    boolean unsubscribe = kind > CONFIRMATION_OF;
    int family = unsubscribe ? kind - CONFIRMATION_OF : kind;
    if (number != confirming) {
      confirming = number;
      confirmationsLeft = channelsNamed > 0 ? channelsNamed : unsubscribe ? -1 : 1;
    }
    long left = count(family, reply);
    boolean done = confirmationsLeft > 0 ? --confirmationsLeft == 0 : left <= 0;
    if (done) {
      confirming = -1;
    }
    return done;
  }

  /** Updates the subscriptions of {@code family} from the count in the reply; returns them. */
  private long count(int family, Object reply) {
    List<?> list = (List<?>) reply;
    Object c = list.size() > 2 ? list.get(2) : null;
    long reported = c instanceof Long ? (Long) c : 0;
    if (family == SHARD) {
      shardChannels = reported;
      return shardChannels;
    }
    long change = reported - total;
    total = reported;
    if (family == CHANNEL) {
      channels += change;
      return channels;
    }
    patterns += change;
    return patterns;
  }

  /** The channels (or patterns) a subscribe or unsubscribe command names: its arguments. */
  static int channelsNamed(Object command, Object arguments) {
    if (arguments instanceof byte[][]) { // Jedis 3: the command name is not among them
      return ((byte[][]) arguments).length;
    }
    if (command instanceof Iterable) { // Jedis 4+: the command name comes first
      int n = -1;
      for (Object ignored : (Iterable<?>) command) {
        n++;
      }
      return Math.max(n, 0);
    }
    return 0;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
