package io.memtrace.collector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollups kept at compaction give the report's sections what the sections' own queries over the spans give: on
 * {@link KeyTotalsTest}'s store (three services, GenAI-only memory spans, compressed counts, errors, statements that
 * hid keys and TTLs), moved in several moves, with a batch sent again, and a tail left in {@code span_ingest}.
 * A report since the epoch reads the spans, so it is the reference.
 */
class ReportRollupsTest {

  /** The sections that read the rollups. */
  private static final Set<String> ROLLED = Set.of("overview", "slowest_operations", "largest_values",
      "cache_and_errors", "compressed");

  @TempDir
  Path dir;

  @Test
  void shouldGiveTheSectionsWhatTheSpansGive() throws Exception {
    KeyTotalsTest.movedAndChecked(dir, KeyTotalsTest.workload(new Random(43)), ReportRollupsTest::assertSameAsFromSpans);
  }

  private static void assertSameAsFromSpans(SqlSource source) {
    assertThat(ReportRollups.kept(source)).as("the report reads the rollups").isTrue();
    assertThat(source.query("SELECT count(*) AS n FROM " + RollupSql.COMPRESSED.table()).number(0, "n"))
        .as("compressed counts kept").isPositive();
    assertThat(source.query("SELECT count(DISTINCT layer) AS n FROM " + RollupSql.SLOWEST.table()).number(0, "n"))
        .as("both layers' slowest kept").isEqualTo(2);
    assertThat(source.query("SELECT count(*) AS n FROM " + RollupSql.SERVICES.view()).number(0, "n"))
        .as("a row per service").isEqualTo(source.query("SELECT count(*) AS n FROM (SELECT DISTINCT service_name FROM spans)")
            .number(0, "n")).isGreaterThan(2);
    for (Layer layer : Layer.values()) {
      String rolled = sections(source, null, layer);
      assertThat(rolled).as(layer + ": from the rollups, as from the spans").isEqualTo(sections(source, Instant.EPOCH, layer));
      assertThat(rolled).contains("name=errors", "compressed_spans=", "type=BIGINT]] [[");
    }
  }

  /** The rolled sections of a report, each with its note, rows and totals. */
  private static String sections(SqlSource source, Instant since, Layer layer) {
    List<Section> rolled = new ReportBuilder(source, since, 6, layer).rolledSections();
    assertThat(rolled).extracting(Section::id).containsExactlyInAnyOrderElementsOf(ROLLED);
    return text(rolled);
  }

  private static String text(List<Section> sections) {
    StringBuilder out = new StringBuilder();
    for (Section section : sections) {
      out.append(section.id()).append(' ').append(section.note()).append(' ').append(section.table().columns())
          .append(' ').append(section.table().rows()).append(' ').append(section.totals()).append('\n');
    }
    return out.toString();
  }

  /**
   * Trace ids in the shape of the realistic benchmark's (mostly zeros, which DuckDB's own hash spreads badly), each
   * trace's two spans in different moves and out of time order: the kept count is exact while the store holds up to
   * {@link TraceCount#EXACT} traces, and past that the estimate the spans give, within 2 % of the exact count.
   */
  @Test
  void shouldCountTracesExactlyUpToTheLimitAndEstimatePastIt() throws Exception {
    int traces = TraceCount.EXACT + 6_000;
    List<ExportTraceServiceRequest> batches = new ArrayList<>();
    Random random = new Random(47);
    for (int b = 0; b < 8; b++) {
      List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
      for (int t = b * traces / 8; t < (b + 1) * traces / 8; t++) {
        // a trace's first span here, its second a batch later (the last batch's second spans come first)
        int second = b == 0 ? (7 * traces / 8 + t) % traces : t - traces / 8;
        spans.add(SpanFixtures.span(String.format("0000007e%08x0000000000000%03x", t, t % 4096), null, "a",
            random.nextInt(100_000), 1).build());
        spans.add(SpanFixtures.span(String.format("0000007e%08x0000000000000%03x", second, second % 4096), null,
            "b", random.nextInt(100_000), 1).build());
      }
      batches.add(SpanFixtures.request("svc", spans));
    }
    TestStores.fill(dir, batches.subList(0, 2));
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      long exact = source.query("SELECT count(DISTINCT trace_id) AS n FROM spans").number(0, "n");
      assertThat(exact).isLessThan(TraceCount.EXACT);
      assertThat(tracesOf(source, null)).as("exact while few").isEqualTo(exact);
    }
    TestStores.fill(dir, batches.subList(2, 6));
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, batches.subList(6, 8));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail").isPositive();
        assertEstimated(source, traces);
      }
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertEstimated(source, traces);
    }
  }

  private static void assertEstimated(SqlSource source, int traces) {
    assertThat(ReportRollups.kept(source)).isTrue();
    assertThat(source.query("SELECT count(*) AS n FROM " + RollupSql.TRACE_IDS.table()).number(0, "n"))
        .as("past the exact ones, only the mark that there were more").isEqualTo(1);
    assertThat(source.query("SELECT count(DISTINCT trace_id) AS n FROM spans").number(0, "n")).isEqualTo(traces);
    long kept = tracesOf(source, null);
    assertThat(kept).as("as the spans give it").isEqualTo(tracesOf(source, Instant.EPOCH))
        .isBetween(Math.round(traces * 0.98), Math.round(traces * 1.02));
  }

  private static long tracesOf(SqlSource source, Instant since) {
    // the overview alone: the rolled sections are the whole report's (shouldBuildThemForAStoreWithout...)
    Section overview = new ReportBuilder(source, since, 6, Layer.REDIS).rolledSections().get(0);
    assertThat(overview.id()).isEqualTo("overview");
    return overview.table().number(0, "traces");
  }

  @Test
  void shouldBuildThemForAStoreWithoutAndReadTheSpansUntilThen() throws Exception {
    TestStores.fill(dir, KeyTotalsTest.workload(new Random(5)).toArray(ExportTraceServiceRequest[]::new));
    KeptTableLife life = new KeptTableLife(dir, ReportRollups::kept, "the report's rollups of", this::report);
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(text(new ReportBuilder(source, null, 6, Layer.MEMORY).build().stream()
          .filter(s -> ROLLED.contains(s.id())).toList())).as("the whole report has the same sections")
          .isEqualTo(sections(source, null, Layer.MEMORY));
    }
    // as an older collector left it: no rollups, no views of them
    List<String> drops = new ArrayList<>();
    for (RollupSql.Rollup rollup : RollupSql.ALL) {
      drops.add("DROP VIEW " + rollup.view());
      drops.add("DROP TABLE " + rollup.table());
    }
    drops.add("DROP TABLE report_rollup_rules");
    life.leftByAnOlderCollector(drops.toArray(String[]::new));
    life.builtWhenOpenedForWriting();
    // built under other rules: read-only from the spans, built again when opened for writing
    life.builtAgainUnderOtherRules("UPDATE report_rollup_rules SET fingerprint = 'older rules'",
        "UPDATE " + RollupSql.LAYER_COUNTS.table() + " SET operations = operations + 1000");
  }

  private String report() {
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      return sections(source, null, Layer.MEMORY) + sections(source, null, Layer.REDIS);
    }
  }
}
