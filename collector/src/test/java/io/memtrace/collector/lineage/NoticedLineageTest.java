package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.LineageFixtures.PORT;
import static io.memtrace.collector.lineage.LineageFixtures.REDIS;
import static io.memtrace.collector.lineage.LineageFixtures.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.embedded.EmbeddedTimelineRows;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.TimelineFixtures.Note;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 72 item 1, in the {@code lineage} view: a change only keyspace notifications know of (an outside SET or DEL,
 * an expiry, an eviction) is the change a later read saw, not the traced write before it; a span the kept answers do
 * not count as the key's change (one naming no database, a GETDEL) is named when it accounts for the notification;
 * where the notifications leave it open, the writer is {@code unknown}.
 */
class NoticedLineageTest {

  private static final String T = "7e570000000000000000000000000072";
  private static final String AT = REDIS + ":" + PORT;

  private final List<Note> notes = new ArrayList<>();

  private void note(long at, int db, String key, String event, String kind) {
    notes.add(new Note(at, AT, db, key, key.substring(0, key.indexOf(':')), event, kind));
  }

  /** A traced SET at {@code at} and its own notification half a millisecond before it ended. */
  private io.opentelemetry.proto.trace.v1.Span set(long at, String key) {
    notes.add(new Note(at, AT, 0, key, key.substring(0, key.indexOf(':')), "set", "write"));
    return redis(T, "SET", at, key);
  }

  @Test
  void shouldNameTheChangeTheNotificationsShowOrSayUnknown(@TempDir Path dir) throws Exception {
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>(List.of(
        set(10, "out:1"), redis(T, "GET", 600, "out:1", "memory.found", true),
        set(10, "odel:1"), redis(T, "GET", 600, "odel:1", "memory.found", false),
        set(10, "exp:1"), redis(T, "GET", 600, "exp:1", "memory.found", false),
        set(10, "amb:1"), redis(T, "GET", 600, "amb:1", "memory.found", true),
        set(10, "own:1"), redis(T, "GET", 600, "own:1", "memory.found", true),
        set(10, "late:1"), redis(T, "GET", 600, "late:1", "memory.found", true),
        set(10, "gd:1"), redis(T, "GETDEL", 2000, "gd:1", "memory.found", true),
        redis(T, "GET", 3000, "gd:1", "memory.found", false),
        set(10, "mv:1"), redis(T, "GET", 3000, "mv:1", "memory.found", true),
        redis(T, "GET", 600, "nw:1", "memory.found", true),
        // a service whose spans name no database (ioredis) writes in database 1, and later in database 0
        redis(T, null, "SET", 5, 1, "nodb:1", REDIS, PORT, "1"),
        redis(T, null, "SET", 2000, 1, "nodb:1", REDIS, PORT, ""),
        redis(T, null, "GET", 3000, 1, "nodb:1", REDIS, PORT, "1", "memory.found", true),
        redis(T, null, "SET", 2000, 1, "nodb:2", REDIS, PORT, ""),
        set(10, "nodel:1"), redis(T, null, "DEL", 2000, 1, "nodel:1", REDIS, PORT, ""),
        redis(T, "GET", 3000, "nodel:1", "memory.found", false),
        redis(T, "GET", 3000, "nodb:2", "memory.found", true),
        // in database 1, a write without a database right before a read, its notification received after the read
        // began (the watcher lagging)
        redis(T, null, "SET", 10, 1, "lnode:1", REDIS, PORT, "1"), redis(T, null, "SET", 2000, 1, "lnode:1", REDIS,
            PORT, ""), redis(T, null, "GET", 2002, 1, "lnode:1", REDIS, PORT, "1", "memory.found", true),
        redis(T, null, "SET", 2000, 1, "lfirst:1", REDIS, PORT, ""),
        redis(T, null, "GET", 2002, 1, "lfirst:1", REDIS, PORT, "1", "memory.found", true),
        // a DEL without a database or reply that removed nothing, then a read, then a later change's del
        redis(T, null, "DEL", 2000, 1, "ldel:1", REDIS, PORT, ""),
        redis(T, null, "GET", 2002, 1, "ldel:1", REDIS, PORT, "1", "memory.found", false),
        // two sets received in the writer's window, then a write without a database after the read
        set(10, "lag:1"), redis(T, "GET", 600, "lag:1", "memory.found", true),
        redis(T, null, "SET", 700, 1, "lag:1", REDIS, PORT, ""),
        redis(T, null, "SET", 10, 1, "lout:1", REDIS, PORT, "1"),
        redis(T, null, "GET", 2002, 1, "lout:1", REDIS, PORT, "1", "memory.found", true),
        // an untraced SET in database 0, then 5 ms later a write without a database whose own set is database 1's
        redis(T, null, "SET", 2000, 1, "near:1", REDIS, PORT, ""),
        redis(T, "GET", 2010, "near:1", "memory.found", true),
        // truth suite seed 191: a write without a database, its own set, then an outside SET 1 ms after it
        redis(T, null, "SET", 5, 1, "twice:1", REDIS, PORT, "1"),
        redis(T, null, "SET", 2000, 1, "twice:1", REDIS, PORT, ""),
        redis(T, null, "GET", 2010, 1, "twice:1", REDIS, PORT, "1", "memory.found", true),
        // an outside DEL received just before a DEL without a database or reply began, which then removed nothing
        set(10, "odnr:1"), redis(T, null, "DEL", 2000, 1, "odnr:1", REDIS, PORT, ""),
        redis(T, "GET", 3000, "odnr:1", "memory.found", false),
        // a set received 5 ms after a read began that no span accounts for (truth suite seed 116), and one a traced
        // SET right after the read does
        set(10, "lateout:1"), redis(T, "GET", 600, "lateout:1", "memory.found", true),
        set(10, "latenext:1"), redis(T, "GET", 600, "latenext:1", "memory.found", true), set(603, "latenext:1"),
        // truth suite seed 35 under the defaults: an outside set received after the read and after the traced SET that
        // followed it began, with that SET's own: two changes, one span to account for them; and two traced SETs after
        // the read, each set received after both began: one each
        set(10, "latetwo:1"), redis(T, "GET", 600, "latetwo:1", "memory.found", true), redis(T, "SET", 603, "latetwo:1"),
        set(10, "twonext:1"), redis(T, "GET", 600, "twonext:1", "memory.found", true), redis(T, "SET", 603, "twonext:1"),
        redis(T, "SET", 604, "twonext:1"),
        // truth suite seed 82: a DEL without a database or reply that removed nothing, then an outside DEL's del
        redis(T, null, "SET", 5, 1, "far:1", REDIS, PORT, "1"), redis(T, null, "DEL", 100, 1, "far:1", REDIS, PORT, ""),
        redis(T, null, "GET", 500, 1, "far:1", REDIS, PORT, "1", "memory.found", false),
        // truth suite seed 70: a write without a database in database 2, a traced SETEX of the key in database 3 1 ms
        // later, whose set is received nearer the first one's end
        redis(T, null, "SET", 2000, 5, "claimed:1", REDIS, PORT, ""),
        redis(T, null, "SETEX", 2001, 1, "claimed:1", REDIS, PORT, "3"),
        redis(T, null, "GET", 2010, 1, "claimed:1", REDIS, PORT, "2", "memory.found", true),
        // truth suite seed 478: written, evicted, then a FLUSHDB of its database, then read
        redis(T, null, "SET", 10, 1, "flushev:1", REDIS, PORT, "4"), WholeDatabaseLineageTest.whole("FLUSHDB", 500, "4"),
        redis(T, null, "GET", 600, 1, "flushev:1", REDIS, PORT, "4", "memory.found", false),
        // truth suite seed 15: a traced SET whose set is received after the next traced write (a MULTI) began
        redis(T, "SET", 10, "prior:1"), redis(T, "SET", 19, "prior:1"),
        redis(T, "GET", 30, "prior:1", "memory.found", true),
        // truth suite seed 192: a write without a database whose own set is database 1's, then a traced SET in
        // database 0: the latter's set is its own, not the first one's
        redis(T, null, "SET", 10, 1, "dbl:1", REDIS, PORT, ""), redis(T, "SET", 19, "dbl:1"),
        redis(T, "GET", 30, "dbl:1", "memory.found", true),
        // truth suite seed 51904: three traced SETs, their sets received in a backlog after the last ended
        redis(T, "SET", 10, "backlog:1"), redis(T, "SET", 12, "backlog:1"), redis(T, "SET", 14, "backlog:1"),
        redis(T, "GET", 30, "backlog:1", "memory.found", true),
        // truth suite seed 21163: a traced SET, a DEL without a database or reply whose own del (database 0) is
        // received while it ran, then an untraced DEL's of database 1 received after it ended, nearer its end
        set(10, "whileran:1"), redis(T, null, "DEL", 100, 5, "whileran:1", REDIS, PORT, ""),
        redis(T, "GET", 110, "whileran:1", "memory.found", false),
        // truth suite seed 52393: an untraced SET's set received as a traced SET ran, the SET's own after it ended
        redis(T, null, "SET", 10, 4, "nearer:1", REDIS, PORT, "0"),
        redis(T, "GET", 30, "nearer:1", "memory.found", true)));
    note(11, 0, "nearer:1", "set", "write");
    note(15, 0, "nearer:1", "set", "write");
    note(102, 0, "whileran:1", "del", "delete");
    note(106, 1, "whileran:1", "del", "delete");
    note(20, 0, "backlog:1", "set", "write");
    note(21, 0, "backlog:1", "set", "write");
    note(22, 0, "backlog:1", "set", "write");
    note(11, 1, "dbl:1", "set", "write");
    note(21, 0, "dbl:1", "set", "write");
    note(20, 0, "prior:1", "set", "write");
    note(21, 0, "prior:1", "set", "write");
    note(500, 0, "out:1", "set", "write");
    note(500, 0, "odel:1", "del", "delete");
    note(300, 0, "exp:1", "expired", "expiry");
    note(9, 0, "amb:1", "set", "write");
    note(300, 0, "late:1", "set", "write");
    note(2000, 0, "gd:1", "del", "delete");
    note(2000, 0, "mv:1", "rename_to", "write");
    note(100, 0, "nw:1", "set", "write");
    note(5, 1, "nodb:1", "set", "write");
    note(2000, 1, "nodb:1", "set", "write");
    note(2000, 1, "nodb:2", "set", "write");
    note(500, 0, "nodel:1", "del", "delete");
    note(10, 1, "lnode:1", "set", "write");
    note(2003, 1, "lnode:1", "set", "write");
    note(2003, 1, "lfirst:1", "set", "write");
    note(2500, 1, "ldel:1", "del", "delete");
    note(12, 0, "lag:1", "set", "write");
    note(10, 1, "lout:1", "set", "write");
    note(2003, 1, "lout:1", "set", "write");
    note(1995, 0, "near:1", "set", "write");
    note(2001, 1, "near:1", "set", "write");
    note(5, 1, "twice:1", "set", "write");
    note(2001, 1, "twice:1", "set", "write");
    note(2002, 1, "twice:1", "set", "write");
    note(1900, 0, "odnr:1", "del", "delete");
    note(605, 0, "lateout:1", "set", "write");
    note(604, 0, "latetwo:1", "set", "write");
    note(605, 0, "latetwo:1", "set", "write");
    note(606, 0, "twonext:1", "set", "write");
    note(607, 0, "twonext:1", "set", "write");
    note(5, 1, "far:1", "set", "write");
    note(400, 1, "far:1", "del", "delete");
    note(10, 4, "flushev:1", "set", "write");
    note(300, 4, "flushev:1", "evicted", "eviction");
    note(2001, 2, "claimed:1", "set", "write");
    note(2003, 3, "claimed:1", "set", "write");
    TestStores.fill(dir, SpanFixtures.request("svc", spans));
    EmbeddedTimelineRows.insert(dir, notes, List.of());
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      // every GET's row in one question of the view, each key's looked up below
      LineageRowsByKey rows = new LineageRowsByKey(store, "SELECT key, writer, write_access, "
          + "floor(value_age_ms)::BIGINT::VARCHAR AS age, miss FROM lineage WHERE read_layer = 'redis' AND read_name = 'GET'");
      assertThat(rows.one("out:1")).as("an outside SET after the traced one").isEqualTo("outside write 100 null");
      assertThat(rows.one("odel:1")).isEqualTo("outside delete 100 deleted");
      assertThat(rows.one("exp:1")).as("the traced write, then Redis expired it").isEqualTo("seen write 589 expired");
      assertThat(rows.one("late:1")).as("an outside SET within the writer's window, after its own")
          .isEqualTo("outside write 300 null");
      assertThat(rows.one("amb:1")).as("a set received before the writer began: which is its own is open")
          .isEqualTo("unknown null null null");
      assertThat(rows.one("own:1")).isEqualTo("seen write 589 null");
      assertThat(rows.one("gd:1")).as("GETDEL's delete").isEqualTo("seen delete 999 deleted");
      assertThat(name(store, "gd:1")).isEqualTo("GETDEL");
      assertThat(rows.one("mv:1")).as("renamed here").isEqualTo("unknown null null null");
      assertThat(rows.one("nw:1")).as("no traced write at all").isEqualTo("outside write 500 null");
      assertThat(rows.one("nodb:1")).as("the write without a database, in database 1 by its notification")
          .isEqualTo("seen write 999 null");
      assertThat(rows.one("nodb:2")).as("a write without a database that Redis reported in database 1 is not "
          + "database 0's").isEqualTo("unknown null null null");
      assertThat(rows.one("nodel:1")).as("a DEL without its reply that Redis reported nothing for removed nothing")
          .isEqualTo("unknown null null null");
      assertThat(rows.one("lnode:1")).as("the write without a database ended before the read began, its "
          + "notification came after").isEqualTo("seen write 1 null");
      assertThat(rows.one("lfirst:1")).as("the same, the key's first write").isEqualTo("seen write 1 null");
      assertThat(rows.one("lag:1")).as("a write that began after the read accounts for none of its changes (the "
          + "first set in the writer's window is taken for its own, the second for an outside SET)")
          .isEqualTo("outside write 588 null");
      assertThat(rows.one("ldel:1")).as("a later del is not taken for a DEL's that may have removed nothing")
          .isEqualTo("not_in_store null null null");
      assertThat(rows.one("lout:1")).as("an outside change received 1 ms after the read began may have come before "
          + "it (a busy watcher), as in the truth suite's seed 116").isEqualTo("unknown null null null");
      assertThat(rows.one("near:1")).as("the write without a database has its own set, nearer, in database 1: "
          + "database 0's set just before it began is an outside one").isEqualTo("outside write 15 null");
      assertThat(rows.one("twice:1")).as("two sets received after the write without a database began: which is "
          + "its own is open").isEqualTo("unknown null null null");
      assertThat(rows.one("odnr:1")).as("a del received before a DEL without its reply began: it may have removed "
          + "nothing").isEqualTo("unknown null null null");
      assertThat(rows.one("lateout:1")).as("an outside set received right after the read began may be the one it "
          + "saw").isEqualTo("unknown null null null");
      assertThat(rows.one("far:1")).as("a del after a DEL without its reply: its own, or a later DEL's")
          .isEqualTo("unknown null null null");
      assertThat(rows.one("claimed:1")).as("database 3's set is the SETEX's, which names its database: the write "
          + "without one is database 2's").isEqualTo("seen write 5 null");
      assertThat(rows.one("flushev:1")).as("evicted before the FLUSHDB: the eviction is why the read found nothing")
          .isEqualTo("seen write 589 evicted");
      assertThat(rows.one("prior:1")).as("the first set received after the MULTI began is the SET's before it, "
          + "its own the second").isEqualTo("seen write 10 null");
      assertThat(rows.one("dbl:1")).as("the write without a database had its own set in database 1")
          .isEqualTo("seen write 10 null");
      assertThat(rows.one("whileran:1")).as("the del received while the DEL ran is its own").isEqualTo(
          "seen delete 5 deleted");
      assertThat(rows.one("backlog:1")).as("the last two sets received together after the writer ended: which is its "
          + "own is open, the first set in its window an earlier SET's").isEqualTo("unknown null null null");
      assertThat(rows.one("nearer:1")).as("a set received as the SET ran, another after it ended, nearer its end: "
          + "which is its own is open").isEqualTo("unknown null null null");
      assertThat(rows.one("latenext:1")).as("a set received right after the read began, a traced SET's after it")
          .isEqualTo("seen write 589 null");
      assertThat(rows.one("latetwo:1")).as("two sets received after the read began, one traced SET after it: either "
          + "may be the one the read saw").isEqualTo("unknown null null null");
      assertThat(rows.one("twonext:1")).as("two sets received after the read began, each of a traced SET after it")
          .isEqualTo("seen write 589 null");
    }
  }

  private static String name(LocalSqlSource store, String key) {
    return store.query("SELECT write_name FROM lineage WHERE key = '" + key + "' AND read_name = 'GET'")
        .text(0, "write_name");
  }
}
