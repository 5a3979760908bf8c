package io.memtrace.collector.keyspace.notify;

import io.memtrace.collector.CollectorException;
import java.util.Locale;

/**
 * {@code --keyspace-events}: {@link #ON} adds the flags the watcher needs to the server's {@code
 * notify-keyspace-events} (never removing one) and subscribes; {@link #AUTO} subscribes when the server already
 * sends notifications and changes nothing; {@link #OFF} neither asks nor subscribes.
 */
public enum EventsMode {
  ON, OFF, AUTO;

  public static EventsMode parse(String option, String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CollectorException(option + " must be on, off or auto, got " + text);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
