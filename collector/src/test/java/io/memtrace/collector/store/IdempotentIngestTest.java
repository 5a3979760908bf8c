package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.TraceMapper;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A span is stored once, by (trace id, span id), however late its repeat comes. */
class IdempotentIngestTest {

  @TempDir
  Path dir;

  @Test
  void shouldStoreARetriedRequestOnceWhenItComesAfterTheCommit() throws Exception {
    List<SpanRow> rows = TraceMapper.map(SpanFixtures.seedTrace());
    try (SpanStore store = TestStores.open(dir, false)) {
      write(store, rows);
      write(store, rows);
      assertThat(store.duplicatesSkipped()).isEqualTo(rows.size());
      assertThat(counts(store)).containsExactly((long) rows.size(), (long) rows.size());
    }
  }

  @Test
  void shouldStoreARetriedRequestOnceWhenItComesAfterCompactionAndARestart() throws Exception {
    List<SpanRow> rows = TraceMapper.map(SpanFixtures.seedTrace());
    List<SpanRow> more = TraceMapper.map(SpanFixtures.seedTrace());
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      write(store, rows);
    }
    SpanStore store = SpanStore.open(new StoreFiles(dir));
    try {
      write(store, more);
      write(store, rows); // the new writer never saw them: they reach span_ingest, the compactor drops them
    } finally {
      store.close();
    }
    assertThat(store.duplicatesSkipped()).isEqualTo(rows.size());
    try (SpanStore reopened = SpanStore.open(new StoreFiles(dir))) {
      assertThat(counts(reopened)).containsExactly((long) rows.size() + more.size(), (long) rows.size() + more.size());
    }
  }

  @Test
  void shouldKeepOneCopyOfRepeatsAnEarlierProcessLeftInTheIngestTable() throws Exception {
    List<SpanRow> rows = TraceMapper.map(SpanFixtures.seedTrace());
    try (DuckDBConnection c = Database.openWritable(new StoreFiles(dir));
         DuckDBAppender appender = c.createAppender("main", "span_ingest")) {
      // what a collector without de-duplication left behind: the same spans twice, not yet moved
      long seq = 1;
      for (int copy = 0; copy < 2; copy++) {
        for (SpanRow row : rows) {
          RowAppender.appendSpan(appender, seq++, row, 0);
        }
      }
    }
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      assertThat(store.duplicatesSkipped()).isEqualTo(rows.size());
      assertThat(counts(store)).containsExactly((long) rows.size(), (long) rows.size());
      assertThat(keyEvents(store)).as("the key events of the spans moved, once each").containsExactly(5L, 5L, 5L);
    }
  }

  @Test
  void shouldKeepTheKeyEventsOfARetriedRequestOnce() throws Exception {
    List<SpanRow> rows = TraceMapper.map(SpanFixtures.seedTrace());
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      write(store, rows);
    }
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      write(store, rows);
    }
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      assertThat(keyEvents(store)).containsExactly(5L, 5L, 5L);
    }
  }

  /**
   * A window of four spans a generation forgets the first request while later ones come; its retry then
   * reaches span_ingest beside the original, and the move keeps one copy. Rows checked before the window
   * forgot are not searched for repeats (they cannot be one), and the move still finds the retry's.
   */
  @Test
  void shouldMoveOneCopyOfARetryTheWindowHadForgotten() throws Exception {
    List<SpanRow> first = TraceMapper.map(SpanFixtures.seedTrace()).subList(0, 4);
    List<SpanRow> later = TraceMapper.map(SpanFixtures.seedTrace());
    try (DuckDBConnection main = Database.openWritable(new StoreFiles(dir))) {
      SpanWriter writer = new SpanWriter(main.duplicate(), 1, 4);
      Compactor compactor = new Compactor(main.duplicate(), writer::committedSeq, writer::busy, writer::repeatsAfter,
          KeptTables.installed());
      try {
        compactor.compactAll(); // as the store does at open: nothing to move, and nothing left by an earlier process
        writer.writeSpans(first).get(30, TimeUnit.SECONDS);
        for (SpanRow row : later) {
          writer.writeSpans(List.of(row)).get(30, TimeUnit.SECONDS);
        }
        long forgottenAfter = writer.repeatsAfter(0);
        assertThat(forgottenAfter).as("the first request was forgotten").isBetween(5L, (long) first.size() + later.size());
        writer.writeSpans(first).get(30, TimeUnit.SECONDS);
        assertThat(writer.duplicatesSkipped()).isZero();
        compactor.compactAll();
        assertThat(compactor.duplicatesDropped()).isEqualTo(first.size());
      } finally {
        writer.close();
        compactor.close();
      }
      try (Statement s = main.createStatement();
           ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT (trace_id, span_id)) FROM span_store")) {
        r.next();
        assertThat(List.of(r.getLong(1), r.getLong(2))).containsExactly((long) later.size() + 4, (long) later.size() + 4);
      }
    }
  }

  /** Rows of key_event_store, distinct spans among them, and the seed trace's spans with a key (or a search). */
  private static List<Long> keyEvents(SpanStore store) throws Exception {
    try (DuckDBConnection c = store.newConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM key_event_store), (SELECT count(DISTINCT (trace_id, "
             + "span_id)) FROM key_event_store), (SELECT count(*) FROM span_store WHERE memory_key IS NOT NULL "
             + "OR memory_operation = 'search')")) {
      r.next();
      return List.of(r.getLong(1), r.getLong(2), r.getLong(3));
    }
  }

  private static void write(SpanStore store, List<SpanRow> rows) throws Exception {
    store.writer().writeSpans(rows).get(30, TimeUnit.SECONDS);
  }

  /** Rows in the view, and distinct spans among them. */
  private static List<Long> counts(SpanStore store) throws Exception {
    try (DuckDBConnection c = store.newConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT (trace_id, span_id)) FROM spans")) {
      r.next();
      return List.of(r.getLong(1), r.getLong(2));
    }
  }
}
