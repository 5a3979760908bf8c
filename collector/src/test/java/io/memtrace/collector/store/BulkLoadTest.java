package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.ModelCallFixtures;
import io.memtrace.collector.provenance.Provenance;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog of logged requests loaded straight into {@code span_store} in one transaction (the writer's bulk load)
 * leaves the store as the usual way, through {@code span_ingest} and the compactor's move, leaves it: the same spans,
 * each once, and the same kept tables (key events, key totals, rollups, memory calls).
 */
class BulkLoadTest {

  private static final String BULK_ROWS = "memtrace.store.bulk-rows";

  @TempDir
  Path dir;

  @Test
  void shouldStoreABacklogLoadedInBulkAsTheUsualWayStoresIt() throws Exception {
    RealisticSpans mix = new RealisticSpans(4096, Conventions.SEED);
    List<byte[]> bodies = new ArrayList<>();
    for (int b = 0; b < 8; b++) {
      bodies.add(mix.batch(b).toByteArray());
    }
    bodies.add(bodies.get(2)); // a retried request: stored once

    Loaded usual = load(dir.resolve("usual"), bodies, null);
    Loaded bulk = load(dir.resolve("bulk"), bodies, "1024");

    assertThat(usual.bulkLoaded).as("a backlog under a row group loads the usual way").isZero();
    // every request behind the held one; the held one too when the writer, on a busy machine, first reached it after
    // the rest were logged (it is held inside that bulk load then)
    assertThat(bulk.bulkLoaded).as("the backlog, in bulk loads of 1024 spans").isIn(7 * 512L, 8 * 512L);
    assertThat(bulk.duplicates).isEqualTo(usual.duplicates).isEqualTo(512);
    assertThat(bulk.tables).containsOnlyKeys(usual.tables.keySet());
    // key_place_state has a row per place and move that touched it: its rows depend on where moves end, as they do
    // between two runs of the usual way; the answers it serves are key_event_store's, compared with the rest
    usual.tables.remove("key_place_state");
    bulk.tables.remove("key_place_state");
    assertThat(bulk.tables).isEqualTo(usual.tables);
    assertThat(usual.tables.get("span_store")).startsWith("4096 rows");
  }

  /**
   * The backlog ModelCallProvenanceIT sends (the stale and cross-tenant call, then correct calls, 2,000 here), loaded in
   * bulk and the usual way: the same rows in every table, and the same provenance of every model call.
   */
  @Test
  void shouldAnswerModelCallsProvenanceAlikeAfterABulkLoad() throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    for (var request : List.of(ModelCallFixtures.writer(), ModelCallFixtures.turn(), ModelCallFixtures.rewriter())) {
      bodies.add(request.toByteArray());
    }
    for (int from = 0; from < 2_000; from += 250) {
      bodies.add(ModelCallFixtures.correctCalls(from, from + 250).toByteArray());
    }

    Loaded usual = load(dir.resolve("usual"), bodies, null);
    Loaded bulk = load(dir.resolve("bulk"), bodies, "2048");

    assertThat(usual.bulkLoaded).isZero();
    assertThat(bulk.bulkLoaded).as("the correct calls, in bulk loads").isGreaterThan(8_000);
    usual.tables.remove("key_place_state");
    bulk.tables.remove("key_place_state");
    assertThat(bulk.tables).isEqualTo(usual.tables);
    assertThat(calls(dir.resolve("bulk"))).hasSize(2_002).isEqualTo(calls(dir.resolve("usual")));
  }

  /** Every model call of the store with its provenance, under the fixtures' tenant rule. */
  private static List<ModelCall> calls(Path data) throws Exception {
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(data))) {
      return Provenance.between(source, null, null, ModelCallFixtures.RULE);
    }
  }

  private record Loaded(long bulkLoaded, long duplicates, Map<String, String> tables) {
  }

  private static Loaded load(Path data, List<byte[]> bodies, String bulkRows) throws Exception {
    if (bulkRows != null) {
      System.setProperty(BULK_ROWS, bulkRows);
    }
    long bulkLoaded;
    long duplicates;
    try (SpanStore store = SpanStore.open(new StoreFiles(data), OtlpIngest::decodeSpans)) {
      // the first request holds the writer, so that the rest wait behind it as a backlog does
      try (HeldBacklog held = HeldBacklog.hold(store, bodies.get(0))) {
        for (byte[] body : bodies.subList(1, bodies.size())) {
          store.writer().acknowledgeSpans(false, body, OtlpIngest.decodeSpans(false, body)).get(30, TimeUnit.SECONDS);
        }
      }
      assertThat(store.awaitLoaded()).isZero();
      bulkLoaded = store.writer().bulkLoaded();
      duplicates = store.duplicatesSkipped();
    } finally {
      System.clearProperty(BULK_ROWS);
    }
    try (Connection c = TestStores.connect(data, true)) {
      return new Loaded(bulkLoaded, duplicates, fingerprints(c));
    }
  }

  /**
   * Each table's rows and a hash of their values: every column but the time a span was received, and sums of doubles
   * to 6 places (a sum merged from other moves adds in another order).
   */
  private static Map<String, String> fingerprints(Connection c) throws Exception {
    Map<String, String> columns = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT table_name, string_agg(CASE WHEN data_type = "
        + "'DOUBLE' THEN 'round(' || column_name || ', 6)' ELSE column_name END || '::VARCHAR', ', ' ORDER BY column_index) FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal "
        + "AND column_name <> 'received_at' AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE schema_name "
        + "= 'main') GROUP BY table_name")) {
      while (r.next()) {
        columns.put(r.getString(1), r.getString(2));
      }
    }
    Map<String, String> fingerprints = new TreeMap<>();
    for (Map.Entry<String, String> t : columns.entrySet()) {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*), coalesce(sum(hash("
          + t.getValue() + ")), 0) FROM \"" + t.getKey() + "\"")) {
        r.next();
        fingerprints.put(t.getKey(), r.getLong(1) + " rows, " + r.getString(2));
      }
    }
    return fingerprints;
  }
}
