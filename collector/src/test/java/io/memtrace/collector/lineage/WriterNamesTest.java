package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.LineageFixtures.READER_TRACE;
import static io.memtrace.collector.lineage.LineageFixtures.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read's writer as the kept events name it: {@code key_event_store} keeps the writer's access, end, TTL and
 * {@code write_ref}, not its ids and names, which the view and a trace's lineage look up from the writer's own event.
 * Two writes of one key that ended at the same instant, from two traces, are the case a lookup by place and end alone
 * gets wrong (two rows for one read, or the ids of one write with the names of the other).
 */
class WriterNamesTest {

  private static final String TRACE_A = "000000000000000000000000000000a1";
  private static final String TRACE_B = "000000000000000000000000000000b2";

  @TempDir
  Path dir;

  @Test
  void shouldNameEachReadsOneWriterFromItsOwnEventEvenWhenTwoWritesEndedAtOnce() throws Exception {
    TestStores.fill(dir,
        SpanFixtures.request("writer-a", List.of(redis(TRACE_A, "SET", 10, "tie:1"), redis(TRACE_A, "SET", 30, "solo:1"))),
        SpanFixtures.request("writer-b", List.of(redis(TRACE_B, "SET", 10, "tie:1"))),
        SpanFixtures.request("reader", List.of(redis(READER_TRACE, "GET", 20, "tie:1", "memory.found", true),
            redis(READER_TRACE, "GET", 40, "solo:1", "memory.found", true))));
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(LineageViews.storedOnly(source)).as("every event kept, no tail").isTrue();
      assertThat(source.query("SELECT count(*) AS n FROM key_event_store WHERE write_end IS NOT NULL "
          + "AND write_ref IS NULL").number(0, "n")).as("every answer has its writer's ref").isZero();
      assertNamed(source);
      ResultTable stored = TraceLineage.keptReads(source, 0, Long.MAX_VALUE / 2, "(SELECT '" + READER_TRACE
          + "' AS t, span_id AS s FROM key_events WHERE trace_id = '" + READER_TRACE + "')");
      assertThat(stored.rows()).as("a few reads' writers named from their stored rows, as the view names them")
          .containsExactlyInAnyOrderElementsOf(source.query("SELECT " + String.join(", ", stored.columns().stream()
              .map(ResultTable.Column::name).toList()) + " FROM lineage").rows());
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      // a tail: a read of the tie's key not yet moved, answered by the view on the fly, and the tie's writes again
      TestStores.write(store, SpanFixtures.request("reader", List.of(redis(READER_TRACE, "GET", 25, "tie:1",
          "memory.found", true))));
      TestStores.write(store, SpanFixtures.request("writer-b", List.of(redis(TRACE_B, "SET", 10, "tie:1"))));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail").isPositive();
        assertNamed(source);
      }
    }
  }

  /** Each read has one row, and its writer's trace, span, service and name are one write's of its key. */
  private static void assertNamed(SqlSource source) {
    ResultTable reads = source.query("SELECT l.key, l.write_trace_id, l.write_service, l.write_name, "
        + "w.trace_id AS set_trace, w.service_name AS set_service, w.name AS set_name FROM lineage AS l "
        + "LEFT JOIN key_events AS w ON w.span_id = l.write_span_id AND w.operation = 'SET' ORDER BY l.read_time");
    assertThat(reads.size()).as("one row per read").isEqualTo(source.query("SELECT count(*) AS n FROM key_events "
        + "WHERE operation = 'GET'").number(0, "n"));
    for (int i = 0; i < reads.size(); i++) {
      String key = reads.text(i, "key");
      assertThat(reads.text(i, "write_trace_id")).as(key).isIn(key.equals("solo:1") ? List.of(TRACE_A)
          : List.of(TRACE_A, TRACE_B));
      assertThat(List.of(reads.text(i, "write_trace_id"), reads.text(i, "write_service"), reads.text(i, "write_name")))
          .as(key + ": the ids and names of one write").isEqualTo(List.of(reads.text(i, "set_trace"),
              reads.text(i, "set_service"), reads.text(i, "set_name")));
      assertThat(reads.text(i, "write_service")).as(key).isEqualTo(reads.text(i, "write_trace_id").equals(TRACE_A)
          ? "writer-a" : "writer-b");
    }
  }
}
