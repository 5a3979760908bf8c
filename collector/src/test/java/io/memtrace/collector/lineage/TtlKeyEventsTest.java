package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.LineageFixtures.READER_TRACE;
import static io.memtrace.collector.lineage.LineageFixtures.WRITER_TRACE;
import static io.memtrace.collector.lineage.LineageFixtures.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.Database;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's TTL changes are kept among its key events, told apart by their access {@code ttl}, with the TTL asked for
 * in {@code ttl}; they are no writers: a read after an EXPIRE or a PERSIST still has the write before it as its writer,
 * and a read after a delete has the delete.
 */
class TtlKeyEventsTest {

  @TempDir
  Path dir;

  @Test
  void shouldKeepTtlChangesAsTheirOwnKindWithoutMakingThemWriters() throws Exception {
    TestStores.fill(dir, SpanFixtures.request("writer", List.of(
            redis(WRITER_TRACE, "SET", 0, "doc:1", "memory.value_size", 12L, "memory.ttl", 60L),
            redis(WRITER_TRACE, "EXPIRE", 10, "doc:1", "memory.ttl", 30L),
            redis(WRITER_TRACE, "PEXPIREAT", 20, "doc:1"),
            redis(WRITER_TRACE, "PERSIST", 30, "doc:1"),
            redis(WRITER_TRACE, "DEL", 60, "doc:1"))),
        SpanFixtures.request("reader", List.of(
            redis(READER_TRACE, "GETEX", 40, "doc:1", "memory.found", true, "memory.ttl", 5L),
            redis(READER_TRACE, "GET", 70, "doc:1", "memory.found", false))));
    try (LocalSqlSource kept = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(LineageViews.kept(kept)).as("the events are kept").isTrue();
      ResultTable events = kept.query("SELECT operation, access, ttl, write_end FROM key_event_store ORDER BY time");
      assertThat(events.rows()).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).containsExactly(
          "SET write 60", "EXPIRE ttl 30", "PEXPIREAT ttl null", "PERSIST ttl null", "GETEX read 5", "DEL delete null",
          "GET read null");
      assertThat(events.rows().subList(1, 4)).as("a TTL change asks for no write before it")
          .allSatisfy(r -> assertThat(r.get(3)).isNull());

      ResultTable lineage = kept.query("SELECT read_operation, write_name, write_access, write_ttl, miss FROM lineage "
          + "ORDER BY read_time");
      assertThat(lineage.rows()).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3) + " "
          + r.get(4)).containsExactly("GETEX SET write 60 null", "GET DEL delete null deleted");

      try (Connection connection = Database.openReadOnly(new StoreFiles(dir))) {
        LineageViews.createViews(connection, "TEMPORARY ", false, "spans");
        SqlSource derived = TestStores.source(connection);
        for (String sql : List.of("SELECT * FROM lineage ORDER BY ALL", "SELECT * FROM key_events ORDER BY ALL")) {
          assertThat(kept.query(sql).rows()).as("kept as derived: " + sql).isEqualTo(derived.query(sql).rows());
        }
      }
    }
  }
}
