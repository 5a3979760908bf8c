package io.memtrace.collector.keyspace.notify;

/**
 * The server's {@code notify-keyspace-events} as {@code CONFIG GET} shows it, and what the watcher adds to it under
 * {@code --keyspace-events on}. Redis shows {@code A} for all of {@code g$lshzxet} (and {@code d} on Redis 7), then
 * {@code K} (the {@code __keyspace} channels) and {@code E} (the {@code __keyevent} channels). The watcher adds
 * {@link #NEEDED} letters that are missing and never removes one: a flag some other consumer relies on stays.
 */
public final class NotifyFlags {

  /** What the watcher needs: the {@code __keyevent} channels, and generic, string, list, set, hash, zset, expired, evicted and stream events. */
  public static final String NEEDED = "Eg$lshzxet";
  /** The class letters {@code A} stands for on every Redis the watcher supports (6.2 has no {@code d}). */
  private static final String ALL = "g$lshzxet";

  private final String config;

  public NotifyFlags(String config) {
    this.config = config == null ? "" : config;
  }

  public String config() {
    return config;
  }

  /** Whether the server sends the class of events {@code letter} names ({@code A} included). */
  public boolean has(char letter) {
    return config.indexOf(letter) >= 0 || ALL.indexOf(letter) >= 0 && config.indexOf('A') >= 0;
  }

  /** Whether any event the watcher records reaches a channel it can subscribe to. */
  public boolean sendsAny() {
    if (!has('E') && !has('K')) {
      return false;
    }
    for (char c : ALL.toCharArray()) {
      if (has(c)) {
        return true;
      }
    }
    return false;
  }

  /** Whether every event the watcher records is sent. */
  public boolean sendsAll() {
    return missing().isEmpty();
  }

  /** The letters of {@link #NEEDED} the server lacks, in that order. */
  public String missing() {
    StringBuilder b = new StringBuilder();
    for (char c : NEEDED.toCharArray()) {
      if (!has(c)) {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The setting with the missing letters added and every letter already set kept. */
  public String withNeeded() {
    return config + missing();
  }

  /**
   * Whether the watcher subscribes to the {@code __keyevent} channels ({@code E} set, the usual case and the one
   * {@code on} asks for) rather than the {@code __keyspace} ones ({@code K} alone).
   */
  public boolean keyevent() {
    return has('E') || !has('K');
  }

  /** What is unknown while the server sends this: the kinds of change it does not send, in words. */
  public String unknown() {
    if (!sendsAny()) {
      return "expiries, evictions and changes outside the traced services";
    }
    StringBuilder b = new StringBuilder();
    append(b, !has('x'), "expiries");
    append(b, !has('e'), "evictions");
    append(b, !has('g'), "deletes and TTL changes");
    append(b, !(has('$') && has('h') && has('l') && has('s') && has('z')), "some writes");
    return b.toString();
  }

  private static void append(StringBuilder b, boolean missing, String what) {
    if (missing) {
      b.append(b.length() == 0 ? "" : ", ").append(what);
    }
  }

  @Override
  public String toString() {
    return "'" + config + "'";
  }
}
