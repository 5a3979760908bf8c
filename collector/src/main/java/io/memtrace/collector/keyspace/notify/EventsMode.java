package io.memtrace.collector.keyspace.notify;

import java.util.Locale;

/**
 * {@code --keyspace-events}: {@link #ON} adds the flags the watcher needs to the server's {@code
 * notify-keyspace-events} (never removing one) and subscribes; {@link #AUTO} subscribes when the server already
 * sends notifications and changes nothing; {@link #OFF} neither asks nor subscribes.
 */
public enum EventsMode {
  ON, OFF, AUTO;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
