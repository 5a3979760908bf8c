package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.LineageFixtures.PORT;
import static io.memtrace.collector.lineage.LineageFixtures.REDIS;
import static io.memtrace.collector.lineage.LineageFixtures.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace's lineage from its stored rows ({@link StoredLineage}) reads fewer relations than the view: the TTL changes
 * of {@code key_event_store} alone, the tail's being of other keys, and only the commands on a whole database that
 * began by the trace's end ({@link LineageViews#wholeDatabaseCommands}). It still gives the view's answers: a
 * {@code FLUSHDB} stored between a write and the read, a {@code FLUSHALL} of the tail that came late, a TTL command on
 * the read key (which makes an expiry unknown) beside one of the tail on another key, and a {@code FLUSHDB} after the
 * trace, which no read can have seen.
 */
class TraceLineageNarrowedTest {

  private static final String READER = "7e570000000000000000000000000a01";
  private static final String WRITER = "7e570000000000000000000000000a02";
  private static final String OTHER_REDIS = "10.0.0.9";

  @Test
  void shouldGiveTheViewsAnswersFromTheNarrowerRelations(@TempDir Path dir) throws Exception {
    TestStores.fill(dir, SpanFixtures.request("svc", List.of(
        redis(WRITER, "SET", 100, "flush:1"), WholeDatabaseLineageTest.whole("FLUSHDB", 300, "0"),
        redis(WRITER, null, "SET", 100, 1, "exp:1", OTHER_REDIS, PORT, "2", "memory.ttl", 1L),
        redis(WRITER, null, "EXPIRE", 150, 1, "exp:1", OTHER_REDIS, PORT, "2"),
        redis(WRITER, null, "SET", 700, 1, "late:1", REDIS, PORT, "3"),
        redis(READER, "GET", 600, "flush:1", "memory.found", false),
        redis(READER, null, "GET", 900, 1, "late:1", REDIS, PORT, "3", "memory.found", false),
        redis(READER, null, "GET", 2000, 1, "exp:1", OTHER_REDIS, PORT, "2", "memory.found", false),
        WholeDatabaseLineageTest.whole("FLUSHDB", 5000, "0"))));
    try (SpanStore store = TestStores.open(dir, false)) {
      // the tail: a FLUSHALL of the reader's Redis that ended before late:1 was read, and a TTL command on another key
      Span flushAll = WholeDatabaseLineageTest.whole("FLUSHALL", 800, "0");
      TestStores.write(store, SpanFixtures.request("svc-late", List.of(flushAll,
          redis(WRITER, null, "EXPIRE", 1500, 1, "exp:2", OTHER_REDIS, PORT, "2"))));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        List<String> keys = List.of("exp:1", "flush:1", "late:1");
        long t0 = SpanFixtures.T0 / 1000;
        TraceLineage.Trace trace = new TraceLineage.Trace(READER, keys, t0 + 600_000, t0 + 2_001_000);
        KeyEvents events = KeyEvents.of(source, keys);
        assertThat(events.tailFree()).as("the tail names none of the keys").isTrue();
        assertThat(source.queryOwn("SELECT count(*) AS n FROM span_ingest").number(0, "n")).isEqualTo(2);

        Map<String, ReadLineage> reads = TraceLineage.of(source, List.of(trace)).get(READER);
        assertThat(reads).hasSize(3).isEqualTo(TraceLineage.of(source, List.of(trace), events.viewOnly()).get(READER));
        assertThat(reads.values()).extracting(r -> r.writer() + " " + r.writeAccess() + " " + r.miss())
            .containsExactlyInAnyOrder("seen delete deleted", "seen delete deleted", "seen write unknown");
        assertThat(reads.values()).extracting(ReadLineage::writeService).containsOnly("svc", "svc-late");
      }
    }
  }
}
