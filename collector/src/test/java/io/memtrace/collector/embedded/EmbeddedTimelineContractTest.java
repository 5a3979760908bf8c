package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineContract;
import io.memtrace.collector.reader.TimelineFixtures;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.store.LegacyStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import java.util.List;

/** The embedded DuckDB store answers the timeline contract: spans through its writer, notification rows inserted. */
class EmbeddedTimelineContractTest extends TimelineContract {

  /** Each read's writer is the one the store keeps for it ({@code lineage}, over the kept key events' answers). */
  @Test
  void shouldNameTheWriterTheKeptLineageNames() {
    KeyTimeline timeline = reader().timeline(new TimelineRequest("plan-a"));
    io.memtrace.collector.query.ResultTable kept = reader().query("SELECT read_trace_id, write_trace_id FROM lineage "
        + "WHERE read_layer = 'memory' AND key = 'plan-a' ORDER BY read_time");
    java.util.Map<String, String> writers = new java.util.HashMap<>();
    for (int i = 0; i < kept.size(); i++) {
      writers.put(kept.text(i, "read_trace_id"), kept.text(i, "write_trace_id"));
    }
    List<KeyTimeline.Event> reads = timeline.events().stream().filter(e -> e.what().startsWith("read")).toList();
    assertThat(reads).hasSize(6).allSatisfy(r -> assertThat(r.writer().traceId()).as(r.traceId())
        .isEqualTo(writers.get(r.traceId())));
  }

  /**
   * A store an older collector wrote (no typed columns, no notification tables, no {@code key_record}), opened
   * read-only: the timeline comes from its spans, and says that no notification was recorded, rather than failing.
   */
  @Test
  void shouldAnswerFromTheSpansOfAStoreAnOlderCollectorWroteReadOnly(@TempDir Path dir) throws Exception {
    LegacyStores.writeBeforeTypedColumns(dir, TimelineFixtures.spans().toArray(new ExportTraceServiceRequest[0]));
    try (Connection c = TestStores.connect(dir, false); Statement s = c.createStatement()) {
      s.execute("DROP VIEW IF EXISTS key_record");
      s.execute("DROP TABLE key_notification");
      s.execute("DROP TABLE key_notification_status");
    }
    try (StoreReader reader = EmbeddedReader.local(new StoreFiles(dir))) {
      KeyTimeline timeline = reader.timeline(new TimelineRequest("plan-a"));
      assertThat(timeline.events()).hasSize(12).allMatch(e -> e.by().equals("trace"));
      // without notifications: the traced delete and the TTL Redis got still explain; the eviction and the outside
      // delete are unknown, never a guess
      assertThat(timeline.events()).filteredOn(e -> e.what().equals("read_nothing")).extracting(KeyTimeline.Event::reasonKind)
          .containsExactly("deleted", "ttl_ran_out", "unknown_no_notifications", "unknown_no_notifications");
      assertThat(timeline.notes()).anyMatch(n -> n.startsWith("No keyspace notifications were recorded"));
    }
    try (Connection c = TestStores.connect(dir, true); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'key_notification'")) {
      r.next();
      assertThat(r.getLong(1)).as("the read-only open changed nothing in the file").isZero();
    }
  }

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> spans, List<TimelineFixtures.Note> notifications,
      List<TimelineFixtures.Status> statuses) throws Exception {
    TestStores.fill(dir, spans);
    EmbeddedTimelineRows.insert(dir, notifications, statuses);
    return EmbeddedReader.local(new StoreFiles(dir));
  }
}
