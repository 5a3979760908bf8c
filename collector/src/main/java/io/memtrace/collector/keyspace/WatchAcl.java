package io.memtrace.collector.keyspace;

/**
 * The least a watcher's Redis user needs, as {@code ACL SETUSER} rules, declared once for docs/memory-state.md
 * and the test that runs the watcher as exactly this user. An allow-list: {@code INFO} is in
 * {@code @dangerous} (so {@code +@read} would not grant it) and {@code KEYS} is in {@code @read}
 * (so {@code +@read} would grant what the watcher must never send). No command that reads a value.
 * The key pattern is needed by the key probes; on Redis 7 {@code %R~*} narrows it to reading.
 */
public final class WatchAcl {

  /** The commands: INFO sections, SELECT of each database, SCAN, and the probes of a key. */
  public static final String COMMANDS = "+info +select +scan +type +pttl +object|idletime +object|freq "
      + "+memory|usage +client|no-touch";

  /** Every rule after the user's name and password: no other command, no channel, every key for the probes. */
  public static final String RULES = "resetchannels -@all " + COMMANDS + " ~*";

  private WatchAcl() {
  }
}
