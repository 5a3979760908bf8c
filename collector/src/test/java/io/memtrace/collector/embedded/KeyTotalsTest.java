package io.memtrace.collector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.MemoryWorkload;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.lineage.GeneratedStore;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-key totals kept at compaction give the report the key sections it got by grouping every span: on a
 * generated store (three services sharing keys, memory records of one key in two namespaces, GenAI-only memory
 * spans, TTLs, deletes, searches), moved to {@code span_store} in several moves that update the same keys, with
 * batches sent again, and a tail left in {@code span_ingest}.
 */
class KeyTotalsTest {

  /** The report's sections that read the totals. */
  private static final Set<String> KEY_SECTIONS = Set.of("hot_keys", "written_never_read", "read_once", "no_ttl",
      "namespace_growth");

  @TempDir
  Path dir;

  @Test
  void shouldGiveTheKeySectionsTheReportGroupedFromTheSpans() throws Exception {
    movedAndChecked(dir, workload(new Random(31)), KeyTotalsTest::assertSameAsFromSpans);
  }

  /**
   * Stores {@code batches} in {@code dir} over three opens, each moving what the one before left (a batch sent again in
   * the second, which the compactor drops), and {@code check}s the store while open with a tail left in
   * {@code span_ingest}, and once closed with none.
   */
  static void movedAndChecked(Path dir, List<ExportTraceServiceRequest> batches, Consumer<SqlSource> check)
      throws Exception {
    TestStores.fill(dir, batches.subList(0, 9));
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, batches.subList(9, 18));
      // a repeat the compactor drops: it must add nothing
      TestStores.write(store, batches.get(1));
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, batches.subList(18, batches.size()));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail to add").isPositive();
        check.accept(source);
      }
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).isZero();
      check.accept(source);
    }
  }

  /** The totals kept, and the report's key sections over them, against the same grouped from {@code spans}. */
  private static void assertSameAsFromSpans(SqlSource source) {
    assertThat(KeyTotals.kept(source)).as("the report reads the totals kept").isTrue();
    assertThat(source.query("SELECT count(*) AS n FROM " + KeyTotals.TABLE).number(0, "n")).isGreaterThan(50);
    ResultTable kept = source.query("SELECT * FROM " + KeyTotals.VIEW + " ORDER BY ALL");
    ResultTable grouped = source.query("SELECT " + KeyTotals.COLUMNS + " FROM (" + KeyTotals.of("spans") + ") ORDER BY ALL");
    assertThat(kept.columns()).isEqualTo(grouped.columns());
    assertThat(kept.rows()).isEqualTo(grouped.rows());
    assertThat(source.query("SELECT count(*) AS n FROM " + KeyTotals.VIEW + " WHERE layer = 'memory' AND key IN "
        + "(SELECT key FROM " + KeyTotals.VIEW + " WHERE layer = 'memory' GROUP BY key HAVING count(*) > 1)").number(0, "n"))
        .as("memory records of one key in two namespaces, apart").isPositive();
    assertThat(source.query("SELECT count(*) AS n FROM " + KeyTotals.VIEW + " WHERE key = 'conv-1'").number(0, "n"))
        .as("GenAI-only memory spans").isEqualTo(1);
    assertThat(source.query("SELECT ttl_unknown_writes AS n FROM " + KeyTotals.VIEW + " WHERE key = 'hidden:1'")
        .number(0, "n")).as("a write whose TTL a statement left out").isEqualTo(1);
    for (Layer layer : Layer.values()) {
      String fromTotals = keySections(source, null, layer);
      // since the epoch: every span, but a report since a time groups the spans
      assertThat(fromTotals).as(layer + ": from the totals, as from the spans")
          .isEqualTo(keySections(source, Instant.EPOCH, layer));
      if (layer == Layer.REDIS) {
        assertThat(fromTotals).as("keys whose TTL a statement hid, not listed as having none").contains("ttl_unknown=");
      }
    }
  }

  private static String keySections(SqlSource source, Instant since, Layer layer) {
    List<Section> sections = new ReportBuilder(source, since, 6, layer).keySections();
    assertThat(sections).extracting(Section::id).containsExactlyInAnyOrderElementsOf(KEY_SECTIONS);
    String text = text(sections);
    assertThat(text).contains("hot_keys Most accessed keys.", "namespace_growth New keys");
    return text;
  }

  private static String text(List<Section> sections) {
    StringBuilder out = new StringBuilder();
    for (Section section : sections) {
      out.append(section.id()).append(' ').append(section.note()).append(' ').append(section.table().rows())
          .append(' ').append(section.totals()).append('\n');
    }
    return out.toString();
  }

  @Test
  void shouldTotalAStoreWithoutThemWhenOpenedForWritingAndReadTheSpansWhenOpenedReadOnly() throws Exception {
    TestStores.fill(dir, workload(new Random(7)).toArray(ExportTraceServiceRequest[]::new));
    KeptTableLife life = new KeptTableLife(dir, KeyTotals::kept, "totalling the keys of", this::report);
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(text(new ReportBuilder(source, null, 6, Layer.REDIS).build().stream()
          .filter(s -> KEY_SECTIONS.contains(s.id())).toList())).as("the whole report has the same sections")
          .isEqualTo(keySections(source, null, Layer.REDIS));
    }
    // as an older collector left it: no totals, no views of them
    life.leftByAnOlderCollector("DROP VIEW key_totals", "DROP TABLE key_total_store", "DROP TABLE key_total_rules");
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT count(*) AS n FROM key_totals").number(0, "n")).as("the view, derived").isPositive();
    }
    try (Connection c = TestStores.connect(dir, true); Statement s = c.createStatement();
         var r = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'key_total_store'")) {
      r.next();
      assertThat(r.getLong(1)).as("a read-only open changes nothing").isZero();
    }
    life.builtWhenOpenedForWriting();
    // totalled under other rules: read-only from the spans, totalled again when opened for writing
    life.builtAgainUnderOtherRules("UPDATE key_total_rules SET fingerprint = 'older rules'",
        "UPDATE key_total_store SET accesses = accesses + 1000");
  }

  /** The generated store's batches, and the seed trace and the chat workload with the GenAI names only. */
  static List<ExportTraceServiceRequest> workload(Random random) {
    List<ExportTraceServiceRequest> batches = new ArrayList<>(GeneratedStore.generated(random, 20, 60));
    batches.add(7, Conventions.GENAI.shape(SpanFixtures.seedTrace()));
    batches.add(15, Conventions.GENAI.shape(MemoryWorkload.chat()));
    batches.add(11, statements());
    return batches;
  }

  /**
   * Redis spans as Node's instrumentation writes them: keys read from statements at ingest, some writes' TTL left out,
   * on keys the generated workload also writes with its TTLs known, and a key written only so.
   */
  private static ExportTraceServiceRequest statements() {
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    String[] statements = {"set ns0:3 [3 other arguments]", "get ns0:3", "set ns1:4 [1 other arguments]",
        "set hidden:1 [3 other arguments]", "get hidden:1", "set ns2:5 v"};
    for (int i = 0; i < statements.length; i++) {
      spans.add(SpanFixtures.span("00000000000000000000000000007e57", null, "redis", 5 + i * 10L, 1)
          .addAttributes(SpanFixtures.attr("db.system.name", "redis"))
          .addAttributes(SpanFixtures.attr("db.query.text", statements[i])).build());
    }
    return SpanFixtures.request("node-service", spans);
  }

  /** Both layers' key sections from a stopped store. */
  private String report() {
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      return keySections(source, null, Layer.MEMORY) + keySections(source, null, Layer.REDIS);
    }
  }
}
