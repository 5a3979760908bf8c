package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.TimelineFixtures;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/** Notification rows written into a stopped embedded store, as the watcher's sink would write them. */
public final class EmbeddedTimelineRows {

  private EmbeddedTimelineRows() {
  }

  /** Writes the rows into the stopped store's notification tables, as the watcher's sink would. */
  public static void insert(Path dir, List<TimelineFixtures.Note> notifications, List<TimelineFixtures.Status> statuses)
      throws Exception {
    try (Connection c = TestStores.connect(dir, false);
        PreparedStatement n = c.prepareStatement("INSERT INTO key_notification VALUES (make_timestamp(?), ?, ?, ?, ?, ?, ?, 1)");
        PreparedStatement s = c.prepareStatement("INSERT INTO key_notification_status (time, redis, state, "
            + "notify_config, dropped_rate, dropped_sampled, dropped_queue, namespaces, dropped_namespaces) "
            + "VALUES (make_timestamp(?), ?, ?, ?, ?, 0, 0, ?, ?)")) {
      for (TimelineFixtures.Note note : notifications) {
        n.setLong(1, note.micros());
        n.setString(2, note.redis());
        n.setInt(3, note.db());
        n.setString(4, note.key());
        n.setString(5, note.namespace());
        n.setString(6, note.event());
        n.setString(7, note.kind());
        n.executeUpdate();
      }
      for (TimelineFixtures.Status status : statuses) {
        s.setLong(1, status.micros());
        s.setString(2, status.redis());
        s.setString(3, status.state());
        s.setString(4, status.config());
        s.setLong(5, status.dropped());
        s.setString(6, status.namespaces());
        s.setString(7, status.droppedNamespaces());
        s.executeUpdate();
      }
    }
  }
}
