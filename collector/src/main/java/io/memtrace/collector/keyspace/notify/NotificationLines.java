package io.memtrace.collector.keyspace.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code watch}'s account of the notifications: a JSON line per status row (every pass, and each change of state),
 * never a line per notification, so the output stays bounded under a flood. Jackson escapes every control character,
 * so a namespace or error text cannot reach the terminal raw.
 */
public final class NotificationLines implements NotificationSink {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;

  public NotificationLines(PrintStream out) {
    this.out = out;
  }

  @Override
  public void write(List<KeyNotification> batch) {
    // counted in the status lines
  }

  @Override
  public void status(NotificationStatus s) {
    NotificationCounts.Snapshot c = s.counts();
    ObjectNode line = JSON.createObjectNode().put("type", "key_notification_status").put("time", s.time().toString())
        .put("redis", s.redis()).put("state", s.state()).put("notify_config", s.notifyConfig())
        .put("received", c.received()).put("recorded", c.recorded()).put("dropped_rate", c.droppedRate())
        .put("dropped_sampled", c.droppedSampled()).put("dropped_queue", c.droppedQueue()).put("error", s.error());
    try {
      String text = JSON.writeValueAsString(line);
      synchronized (out) {
        out.println(text);
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
