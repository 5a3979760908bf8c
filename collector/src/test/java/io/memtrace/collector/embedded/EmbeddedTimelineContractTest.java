package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineContract;
import io.memtrace.collector.reader.TimelineFixtures;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/** The embedded DuckDB store answers the timeline contract: spans through its writer, notification rows inserted. */
class EmbeddedTimelineContractTest extends TimelineContract {

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> spans, List<TimelineFixtures.Note> notifications,
      List<TimelineFixtures.Status> statuses) throws Exception {
    try (SpanStore store = TestStores.open(dir, true)) {
      for (ExportTraceServiceRequest request : spans) {
        TestStores.write(store, request);
      }
    }
    insert(dir, notifications, statuses);
    return EmbeddedReader.local(new StoreFiles(dir));
  }

  /** Writes the rows into the stopped store's notification tables, as the watcher's sink would. */
  static void insert(Path dir, List<TimelineFixtures.Note> notifications, List<TimelineFixtures.Status> statuses)
      throws Exception {
    try (Connection c = TestStores.connect(dir, false);
        PreparedStatement n = c.prepareStatement("INSERT INTO key_notification VALUES (make_timestamp(?), ?, ?, ?, ?, ?, ?, 1)");
        PreparedStatement s = c.prepareStatement("INSERT INTO key_notification_status (time, redis, state, "
            + "notify_config, dropped_rate, dropped_sampled, dropped_queue) VALUES (make_timestamp(?), ?, ?, ?, 0, 0, 0)")) {
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
        s.executeUpdate();
      }
    }
  }
}
