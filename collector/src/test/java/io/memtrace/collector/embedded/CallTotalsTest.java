package io.memtrace.collector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.health.MemoryCommands;
import io.memtrace.collector.health.MemoryHealth;
import io.memtrace.collector.health.TtlTruth;
import io.memtrace.collector.lineage.LineageFixtures;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.ForwardingSqlSource;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.RecordingSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.HealthFixtures;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory calls kept at each move ({@link CallTotals}) give the TTL truth, memory health and the Redis commands per
 * call exactly what joining every call to its commands gives: with each call's commands moved apart from it, before
 * it, with a tail not yet moved, with the tail moved, under a tenant rule by key, and once built for a store made
 * without the table.
 */
class CallTotalsTest {

  private static final Set<String> SECTIONS = Set.of(TtlTruth.ID, MemoryHealth.ID, MemoryCommands.ID);

  @TempDir
  Path dir;

  @Test
  void shouldGiveTheSectionsTheJoinGivesWithEachCallsCommandsMovedApartAndBeforeIt() throws Exception {
    List<List<ExportTraceServiceRequest>> moves = dealtInReverse(payloads(), 6);
    for (List<ExportTraceServiceRequest> move : moves.subList(0, 5)) {
      TestStores.fill(dir, move);
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, moves.get(5));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail").isPositive();
        assertKeptAsJoined(source, true, Layer.MEMORY, Layer.REDIS);
      }
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).isZero();
      assertThat(source.query("SELECT count(*) AS n FROM " + CallTotals.TABLE + " WHERE is_call").number(0, "n"))
          .as("one row per memory call").isEqualTo(source.query("SELECT count(*) AS n FROM spans WHERE "
              + "memory_operation IS NOT NULL").number(0, "n"));
      assertKeptAsJoined(source, false, Layer.MEMORY);
    }
  }

  @Test
  void shouldBuildTheCallsOnceForAStoreMadeWithoutThemAndJoinThemReadOnlyUntilThen() throws Exception {
    TestStores.fill(dir, payloads().toArray(ExportTraceServiceRequest[]::new));
    try (Connection c = TestStores.connect(dir, false); Statement s = c.createStatement()) {
      s.execute("DROP TABLE memory_call_rules");
      s.execute("DROP TABLE " + CallTotals.TABLE);
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      RecordingSource recording = new RecordingSource(source, true);
      String joined = sections(recording, Layer.MEMORY, null);
      assertThat(recording.statements()).as("read-only, the calls joined")
          .noneMatch(s -> s.contains("FROM " + CallTotals.TABLE));
      assertThat(joined).contains("n_plus_one_calls=1");
    }
    String first = TestStores.openForWriting(dir);
    String second = TestStores.openForWriting(dir);
    assertThat(first).contains("joining the memory calls of", "for the report (a store from an older collector; once)",
        "memory calls joined in");
    assertThat(second).doesNotContain("memory calls");
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertKeptAsJoined(source, false, Layer.MEMORY);
      assertThat(sections(source, Layer.MEMORY, null)).isEqualTo(fromWholeReport(source, Layer.MEMORY));
    }
  }

  /**
   * Each section of {@code layers} (and of the memory layer under a tenant rule by key, {@code byTenant}) from the kept
   * calls and from the join, the same.
   */
  private static void assertKeptAsJoined(SqlSource source, boolean byTenant, Layer... layers) {
    SqlSource joinedOnly = withoutKeptCalls(source);
    for (Layer layer : layers) {
      for (TenantRule rule : layer == Layer.MEMORY && byTenant ? new TenantRule[] {null, HealthFixtures.RULE}
          : new TenantRule[] {null}) {
        RecordingSource kept = new RecordingSource(source, true);
        RecordingSource joined = new RecordingSource(joinedOnly, true);
        String fromKept = sections(kept, layer, rule);
        String fromJoin = sections(joined, layer, rule);
        String at = layer + (rule == null ? "" : " by tenant");
        assertThat(kept.statements()).as(at + ": kept calls read").anyMatch(s -> s.contains("FROM " + CallTotals.TABLE));
        assertThat(joined.statements()).as(at + ": joined").noneMatch(s -> s.contains("FROM " + CallTotals.TABLE));
        assertThat(fromKept).as(at).isEqualTo(fromJoin)
            .contains("n_plus_one_calls=1", "ttl_lost=1", "ttl_differs=1", "u1-l1", "u1-l2");
      }
    }
  }

  private static String sections(SqlSource source, Layer layer, TenantRule rule) {
    ReportBuilder report = new ReportBuilder(own(source), null, 6, layer);
    if (rule != null) {
      report.tenantRule(rule);
    }
    List<Section> sections = report.healthSections();
    assertThat(sections).extracting(Section::id).containsExactlyInAnyOrderElementsOf(SECTIONS);
    return text(sections);
  }

  /** The whole report's health sections: those {@link ReportBuilder#healthSections} builds alone, which is cheaper. */
  private static String fromWholeReport(SqlSource source, Layer layer) {
    return text(new ReportBuilder(own(source), null, 6, layer).build().stream().filter(s -> SECTIONS.contains(s.id()))
        .toList());
  }

  private static String text(List<Section> sections) {
    return sections.stream().map(Section::toString).collect(Collectors.joining("\n"));
  }

  /**
   * {@code source} as a report reads it ({@code EmbeddedReader}): the sections' statements run as the collector's own,
   * planned once, not checked and prepared as a user's.
   */
  private static SqlSource own(SqlSource source) {
    return new RecordingSource(source, true);
  }

  /** The store as one without the table reads: its probe finds no rules. */
  private static SqlSource withoutKeptCalls(SqlSource source) {
    return new ForwardingSqlSource(source) {
      @Override
      public ResultTable query(String sql) {
        return source.query(sql.replace("'memory_call_rules'", "'memory_call_rules_absent'"));
      }

      @Override
      public ResultTable queryOwn(String sql) {
        return source.queryOwn(sql.replace("'memory_call_rules'", "'memory_call_rules_absent'"));
      }
    };
  }

  private static List<ExportTraceServiceRequest> payloads() {
    List<ExportTraceServiceRequest> all = new ArrayList<>(HealthFixtures.payloads());
    all.addAll(List.of(LineageFixtures.writer(), LineageFixtures.reader(), LineageFixtures.memory()));
    return all;
  }

  /**
   * Every span a request of its own, in reverse, dealt in turn into {@code moves} moves: a call and its commands
   * (neighbours) land in different moves, the commands first.
   */
  private static List<List<ExportTraceServiceRequest>> dealtInReverse(List<ExportTraceServiceRequest> payloads,
      int moves) {
    List<ExportTraceServiceRequest> each = new ArrayList<>();
    for (ExportTraceServiceRequest request : payloads) {
      for (ResourceSpans resource : request.getResourceSpansList()) {
        String service = resource.getResource().getAttributesList().stream()
            .filter(a -> a.getKey().equals("service.name")).findFirst().orElseThrow().getValue().getStringValue();
        for (Span span : resource.getScopeSpans(0).getSpansList()) {
          each.add(SpanFixtures.request(service, List.of(span)));
        }
      }
    }
    Collections.reverse(each);
    List<List<ExportTraceServiceRequest>> dealt = new ArrayList<>();
    for (int m = 0; m < moves; m++) {
      dealt.add(new ArrayList<>());
    }
    for (int i = 0; i < each.size(); i++) {
      dealt.get(i % moves).add(each.get(i));
    }
    // a move's spans in one request: one commit each, the order within it as dealt
    return dealt.stream().map(move -> List.of(ExportTraceServiceRequest.newBuilder()
        .addAllResourceSpans(move.stream().flatMap(r -> r.getResourceSpansList().stream()).toList()).build())).toList();
  }

}
