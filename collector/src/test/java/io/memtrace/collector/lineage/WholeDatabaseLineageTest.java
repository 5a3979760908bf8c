package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.lineage.LineageFixtures.PORT;
import static io.memtrace.collector.lineage.LineageFixtures.REDIS;
import static io.memtrace.collector.lineage.LineageFixtures.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The truth suite's "whole database" cause (issue 72) in the {@code lineage} view: a traced {@code FLUSHDB},
 * {@code FLUSHALL} or {@code SWAPDB} names no key and Redis reports no event per key for it, so a read after one
 * must not name the write before it ({@link WholeDatabaseChanges}).
 */
class WholeDatabaseLineageTest {

  private static final String T = "7e570000000000000000000000000073";

  /** A command on a whole database of the fixture's Redis, from a connection on database {@code db}. */
  static Span whole(String command, long at, String db) {
    return whole(command, at, db, command + (command.equals("SWAPDB") ? " ? ?" : ""));
  }

  /** The same, its statement {@code text} ({@code SWAPDB 0 1}: the agent names a SWAPDB's databases). */
  static Span whole(String command, long at, String db, String text) {
    return SpanFixtures.span(T, null, command, at, 1).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.query.text", text))
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("db.operation.name", command))
        .addAttributes(attr("server.address", REDIS)).addAttributes(attr("server.port", PORT))
        .addAttributes(attr("db.namespace", db)).build();
  }

  @Test
  void shouldNotNameTheWriteBeforeACommandOnTheWholeDatabase(@TempDir Path dir) throws Exception {
    List<Span> spans = List.of(
        redis(T, "SET", 10, "swap:1"), redis(T, "SET", 150, "flush:1"), redis(T, "SET", 150, "other:1"),
        redis(T, "SET", 10, "gone:1"), redis(T, "DEL", 20, "gone:1", "memory.result_count", 1L),
        redis(T, "SET", 10, "after:1"), redis(T, "SET", 10, "back:1"),
        redis(T, "DEL", 20, "back:1", "memory.result_count", 1L), redis(T, "GET", 200, "back:1", "memory.found", true),
        whole("SWAPDB", 100, "0"), redis(T, "GET", 200, "swap:1", "memory.found", true),
        redis(T, "SET", 150, "after:1"), redis(T, "GET", 200, "after:1", "memory.found", true),
        whole("FLUSHDB", 300, "5"), redis(T, "GET", 400, "other:1", "memory.found", true),
        whole("FLUSHDB", 500, "0"), redis(T, "GET", 600, "flush:1", "memory.found", false),
        redis(T, "GET", 600, "gone:1", "memory.found", false),
        // deleted before two SWAPDBs: either may have brought the value found
        redis(T, "SET", 10, "twice:1"), redis(T, "DEL", 20, "twice:1", "memory.result_count", 1L),
        whole("SWAPDB", 700, "0"), whole("SWAPDB", 800, "1"), redis(T, "GET", 900, "twice:1", "memory.found", true),
        // SWAPDBs that name their databases: of others (the write stays what the read saw), then of its own
        redis(T, "SET", 950, "named:1"), whole("SWAPDB", 960, "0", "SWAPDB 3 4"),
        redis(T, "GET", 970, "named:1", "memory.found", true), redis(T, "SET", 980, "named:2"),
        whole("SWAPDB", 985, "0", "SWAPDB 0 5"), redis(T, "GET", 990, "named:2", "memory.found", false));
    TestStores.fill(dir, SpanFixtures.request("svc", spans));
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      // of each key, its last GET's row, asked once for all keys
      LineageRowsByKey rows = new LineageRowsByKey(store, "SELECT key, writer, write_name, miss FROM (SELECT *, "
          + "max(read_time) OVER (PARTITION BY key) AS last_read FROM lineage WHERE read_name = 'GET') "
          + "WHERE read_layer = 'redis' AND read_time = last_read");
      assertThat(rows.one("swap:1")).as("the SWAPDB may have brought the value").isEqualTo("whole_db SWAPDB null");
      assertThat(rows.one("after:1")).as("a write after it").isEqualTo("seen SET null");
      assertThat(rows.one("back:1")).as("deleted, then found: the SWAPDB brought it").isEqualTo("seen SWAPDB null");
      assertThat(rows.one("other:1")).as("a FLUSHDB of another database").isEqualTo("seen SET null");
      assertThat(rows.one("flush:1")).as("the FLUSHDB of its database deleted it")
          .isEqualTo("seen FLUSHDB deleted");
      assertThat(rows.one("gone:1")).as("the FLUSHDB found it deleted").isEqualTo("seen DEL deleted");
      assertThat(rows.one("twice:1")).as("two SWAPDBs").isEqualTo("whole_db SWAPDB null");
      assertThat(rows.one("named:1")).as("a SWAPDB of databases 3 and 4").isEqualTo("seen SET null");
      assertThat(rows.one("named:2")).as("a SWAPDB of databases 0 and 5 replaced the key")
          .isEqualTo("seen SWAPDB deleted");
    }
  }
}
