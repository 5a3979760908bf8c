package io.memtrace.collector.keyspace;

/**
 * The least a watcher's Redis user needs, as {@code ACL SETUSER} rules, declared once for docs/memory-state.md
 * and the test that runs the watcher as exactly this user. An allow-list: {@code INFO} is in
 * {@code @dangerous} (so {@code +@read} would not grant it) and {@code KEYS} is in {@code @read}
 * (so {@code +@read} would grant what the watcher must never send). No command that reads a value.
 * The key pattern is needed by the key probes; on Redis 7 {@code %R~*} narrows it to reading.
 * The keyspace notifications need PSUBSCRIBE on their two channel patterns only (an ACL checks a pattern
 * literally), and nothing else: without {@link #CONFIG_GET} the watcher cannot tell what the server sends, so
 * its notifications are {@code unavailable} (recorded when they arrive, but their absence means nothing).
 */
public final class WatchAcl {

  /** The commands: INFO sections, SELECT of each database, SCAN, the probes of a key, and the subscription. */
  public static final String COMMANDS = "+info +select +scan +type +pttl +object|idletime +object|freq "
      + "+memory|usage +client|no-touch +psubscribe +punsubscribe";

  /** The channels of the keyspace notifications, as the watcher subscribes to them. */
  public static final String CHANNELS = "&__keyevent@*__:* &__keyspace@*__:*";

  /** Every rule after the user's name and password: no other command or channel, every key for the probes. */
  public static final String RULES = "resetchannels " + CHANNELS + " -@all " + COMMANDS + " ~*";

  /**
   * Lets the watcher read {@code notify-keyspace-events}, and so say which answers are unknown. It reads every
   * setting (an ACL cannot name one), so it is not in {@link #RULES}: grant it where that is acceptable.
   */
  public static final String CONFIG_GET = "+config|get";

  /** For {@code --keyspace-events on} only: the watcher adds the flags it needs to the server's setting. */
  public static final String CONFIG_SET = "+config|set";

  private WatchAcl() {
  }
}
