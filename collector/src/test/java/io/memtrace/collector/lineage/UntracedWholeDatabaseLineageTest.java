package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.LineageFixtures.PORT;
import static io.memtrace.collector.lineage.LineageFixtures.REDIS;
import static io.memtrace.collector.lineage.LineageFixtures.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.memtrace.collector.reader.TimelineFixtures.Note;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The truth suite's "whole database, untraced" (issue 72) in the {@code lineage} view: a {@code FLUSHDB},
 * {@code FLUSHALL} or {@code SWAPDB} of a client memtrace does not trace, which the keyspace watcher counts in
 * {@code INFO commandstats} (a row of {@code key_notification} without a key, its window in its weight), makes a read
 * after it unknown where it could have changed what the read found ({@link WholeDatabaseChanges}).
 */
class UntracedWholeDatabaseLineageTest {

  private static final String T = "7e570000000000000000000000000074";

  /** A call the watcher counted in the window from {@code from} to {@code to} ms after the fixtures' start. */
  static void counted(Connection c, long from, long to, String command) throws Exception {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO key_notification VALUES (make_timestamp(?), ?, 0, '', "
        + "NULL, ?, 'delete', ?)")) {
      s.setLong(1, SpanFixtures.T0 / 1_000 + to * 1_000);
      s.setString(2, REDIS + ":" + PORT);
      s.setString(3, command);
      s.setDouble(4, (to - from) / 1000.0);
      s.executeUpdate();
    }
  }

  /** Each GET's row once the watcher also counted {@code command} in the window from {@code from} to {@code to} ms. */
  private static LineageRowsByKey rowsAfter(Path dir, long from, long to, String command) throws Exception {
    try (Connection c = TestStores.connect(dir, false)) {
      counted(c, from, to, command);
    }
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      return rows(store);
    }
  }

  /** Each GET's row: its writer, the writer's name and the miss. */
  private static LineageRowsByKey rows(LocalSqlSource store) {
    return new LineageRowsByKey(store, "SELECT key, writer, write_name, miss FROM lineage WHERE read_name = 'GET' AND "
        + "read_layer = 'redis'");
  }

  @Test
  void shouldSayUnknownWhereAnUntracedCommandOnTheWholeDatabaseMayHaveChangedTheKey(@TempDir Path dir)
      throws Exception {
    List<Span> spans = List.of(
        redis(T, "SET", 10, "swap:1"), redis(T, "GET", 300, "swap:1", "memory.found", true),
        redis(T, "SET", 10, "flush:1"), redis(T, "GET", 300, "flush:1", "memory.found", false),
        redis(T, "SET", 10, "gone:1"), redis(T, "DEL", 20, "gone:1", "memory.result_count", 1L),
        redis(T, "GET", 300, "gone:1", "memory.found", false),
        redis(T, "SET", 252, "after:1"), redis(T, "GET", 300, "after:1", "memory.found", true),
        redis(T, "GET", 300, "never:1", "memory.found", false),
        // a traced SWAPDB of two other databases, which the server counts too
        redis(T, "SET", 1000, "named:1"), WholeDatabaseLineageTest.whole("SWAPDB", 1150, "0", "SWAPDB 3 4"),
        redis(T, "GET", 1300, "named:1", "memory.found", true));
    TestStores.fill(dir, SpanFixtures.request("svc", spans));
    try (Connection c = TestStores.connect(dir, false)) {
      counted(c, 100, 200, "swapdb");
      counted(c, 150, 250, "flushdb");
      counted(c, 1100, 1200, "swapdb");
    }
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      LineageRowsByKey rows = rows(store);
      assertThat(rows.one("swap:1")).as("the SWAPDB may have brought the value").isEqualTo("whole_db untraced null");
      assertThat(rows.one("flush:1")).as("it may have emptied the key").isEqualTo("whole_db untraced unknown");
      assertThat(rows.one("gone:1")).as("deleted before them: a SWAPDB could bring no value, the key being nowhere "
          + "else").isEqualTo("seen DEL deleted");
      assertThat(rows.one("never:1")).as("never written anywhere").isEqualTo("not_in_store null null");
      assertThat(rows.one("after:1")).as("written after it").isEqualTo("seen SET null");
      assertThat(rows.one("named:1")).as("the call counted is the traced SWAPDB's").isEqualTo("seen SET null");
    }
    assertThat(rowsAfter(dir, 1100, 1200, "swapdb").one("named:1")).as("two calls, one traced")
        .isEqualTo("whole_db untraced null");
  }

  @Test
  void shouldSayUnknownWhereAValueASwapdbMayHaveBroughtExpiredAsTheReadRan(@TempDir Path dir) throws Exception {
    // truth suite seeds 35658, 38153: a traced DEL, a Node SET with PX in the other database, a traced SWAPDB that
    // brought it, and Redis's expiry of it received after the next read began; the view named the DEL
    String at = REDIS + ":" + PORT;
    List<Span> spans = List.of(redis(T, "SET", 10, "swx:1"), redis(T, "DEL", 20, "swx:1", "memory.result_count", 1L),
        WholeDatabaseLineageTest.whole("SWAPDB", 100, "0"), redis(T, "GET", 300, "swx:1", "memory.found", false),
        redis(T, "SET", 400, "dx:1"), redis(T, "DEL", 410, "dx:1", "memory.result_count", 1L),
        WholeDatabaseLineageTest.whole("SWAPDB", 500, "0"), redis(T, "GET", 600, "dx:1", "memory.found", false));
    TestStores.fill(dir, SpanFixtures.request("svc", spans));
    io.memtrace.collector.embedded.EmbeddedTimelineRows.insert(dir, List.of(
        new Note(10, at, 0, "swx:1", "swx", "set", "write"), new Note(20, at, 0, "swx:1", "swx", "del", "delete"),
        new Note(300, at, 0, "swx:1", "swx", "expired", "expiry"),
        new Note(400, at, 0, "dx:1", "dx", "set", "write"), new Note(410, at, 0, "dx:1", "dx", "del", "delete")),
        List.of());
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      LineageRowsByKey rows = rows(store);
      assertThat(rows.one("swx:1")).as("which value the expiry took is open").isEqualTo("whole_db SWAPDB unknown");
      assertThat(rows.one("dx:1")).as("no removal as the read ran: the SWAPDB found the key gone")
          .isEqualTo("seen DEL deleted");
    }
  }

  @Test
  void shouldKeepTheWriteOfAValueFoundAfterAnUntracedFlush(@TempDir Path dir) throws Exception {
    TestStores.fill(dir, SpanFixtures.request("svc", List.of(redis(T, "SET", 10, "hit:1"),
        redis(T, "GET", 300, "hit:1", "memory.found", true))));
    assertThat(rowsAfter(dir, 100, 200, "flushdb").one("hit:1")).as("a FLUSHDB of its database would have removed it")
        .isEqualTo("seen SET null");
  }

  @Test
  void shouldSayUnknownOfATracedCommandsCertainAnswerWhenAnUntracedOneRanBeforeIt(@TempDir Path dir)
      throws Exception {
    // truth suite seeds 45211 and 45783: a SET, an untraced FLUSHDB or SWAPDB that removed the key, then a traced
    // SWAPDB or FLUSHDB of the read's database, which found it gone; the view named the traced one's delete
    List<Span> spans = List.of(
        redis(T, "SET", 10, "fl:1"), redis(T, "SET", 300, "late:1"), WholeDatabaseLineageTest.whole("FLUSHDB", 500, "0"),
        redis(T, "GET", 540, "fl:1", "memory.found", false), redis(T, "GET", 540, "late:1", "memory.found", false),
        // in database 1, which the FLUSHDB left; the SWAPDB names no database
        redis(T, null, "SET", 10, 1, "br:1", REDIS, PORT, "1"),
        redis(T, null, "DEL", 20, 1, "br:1", REDIS, PORT, "1", "memory.result_count", 1L),
        WholeDatabaseLineageTest.whole("SWAPDB", 600, "0"),
        redis(T, null, "GET", 700, 1, "br:1", REDIS, PORT, "1", "memory.found", true));
    TestStores.fill(dir, SpanFixtures.request("svc", spans));
    try (Connection c = TestStores.connect(dir, false)) {
      counted(c, 450, 550, "flushdb");
    }
    LineageRowsByKey traced = rowsAfter(dir, 550, 650, "swapdb");
    assertThat(traced.one("fl:1")).as("the calls counted are the traced ones'").isEqualTo("seen FLUSHDB deleted");
    assertThat(traced.one("br:1")).as("the SWAPDB brought the value").isEqualTo("seen SWAPDB null");
    LineageRowsByKey rows = rowsAfter(dir, 100, 200, "swapdb");
    assertThat(rows.one("fl:1")).as("the untraced SWAPDB may have removed the key first")
        .isEqualTo("whole_db untraced unknown");
    assertThat(rows.one("br:1")).as("the untraced SWAPDB may have brought the value")
        .isEqualTo("whole_db untraced null");
    assertThat(rows.one("late:1")).as("written after it").isEqualTo("seen FLUSHDB deleted");
  }

  @Test
  void shouldTakeOutNoCallForATracedCommandThatOverlapsTwoWindows(@TempDir Path dir) throws Exception {
    // the traced SWAPDB ran as the poll between the two windows was answered: either may have counted it
    TestStores.fill(dir, SpanFixtures.request("svc", List.of(redis(T, "SET", 10, "two:1"),
        redis(T, "GET", 150, "two:1", "memory.found", true), WholeDatabaseLineageTest.whole("SWAPDB", 199, "0",
        "SWAPDB 3 4"))));
    try (Connection c = TestStores.connect(dir, false)) {
      counted(c, 100, 200, "swapdb");
    }
    assertThat(rowsAfter(dir, 199, 300, "swapdb").one("two:1")).as("the first window's call may be the untraced one")
        .isEqualTo("whole_db untraced null");
  }
}
