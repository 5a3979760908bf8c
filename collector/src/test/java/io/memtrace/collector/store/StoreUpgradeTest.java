package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.QueryRunner;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.Section;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written before the typed attribute columns existed still opens, read-only as it is and for writing upgraded. */
class StoreUpgradeTest {

  @TempDir
  Path dir;

  @Test
  void shouldAnswerFromAttributesWhenAnOldStoreIsOpenedReadOnly() throws Exception {
    LegacyStores.writeBeforeTypedColumns(dir, SpanFixtures.seedTrace());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT * FROM spans LIMIT 0").columns()).extracting(ResultTable.Column::name)
          .doesNotContain("memory_key");
      assertThat(source.query(SeedQueriesTest.LARGEST).rows()).containsExactly(
          List.of("coverage-report-user-service", 1247L), List.of("test-plan-user-service", 387L));
    }
  }

  @Test
  void shouldReportFromAttributesAndSaySoWhenAnOldStoreIsOpenedReadOnly() throws Exception {
    LegacyStores.writeBeforeTypedColumns(dir, SpanFixtures.seedTrace());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      List<Section> report = new ReportBuilder(source, null, 6, null).build();
      assertThat(report.get(0).note()).contains("written by an older collector", "serve --data");
      Section largest = report.stream().filter(s -> s.id().equals("largest_values")).findFirst().orElseThrow();
      assertThat(largest.table().rows()).extracting(r -> r.get(0))
          .containsExactly("coverage-report-user-service", "test-plan-user-service");
    }
  }

  @Test
  void shouldFillTheTypedColumnsOfEveryStoredSpanWhenAnOldStoreIsOpenedForWriting() throws Exception {
    LegacyStores.writeBeforeTypedColumns(dir, SpanFixtures.seedTrace());
    PrintStream err = System.err;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    System.setErr(new PrintStream(said, true));
    try (SpanStore store = TestStores.open(dir, false); Connection connection = store.newConnection()) {
      ResultTable filled = QueryRunner.run(connection, "SELECT count(*) FILTER (WHERE memory_key IS NOT NULL) AS keys, "
          + "sum(memory_value_size) AS bytes, count(*) FILTER (WHERE memory_key = attributes['memory.key']::VARCHAR) AS same "
          + "FROM span_store");
      // five keys: the delete's was in span_ingest, filled from its JSON text before the move at open
      assertThat(filled.rows()).containsExactly(List.of(5L, 2021L, 5L));
    } finally {
      System.setErr(err);
    }
    assertThat(said.toString()).contains("upgrading a span store written by an older collector")
        .contains("to its 12 spans");
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query(SeedQueriesTest.SLOWEST).rows()).hasSize(5);
    }
  }

  @Test
  void shouldReadGenAiSpansOfAStoreWrittenBeforeTheirColumnsReadOnlyAndFillTheColumnsWhenOpenedForWriting()
      throws Exception {
    LegacyStores.writeBeforeGenAiColumns(dir, Conventions.GENAI.shape(SpanFixtures.seedTrace()));
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT * FROM spans LIMIT 0").columns()).extracting(ResultTable.Column::name)
          .contains("memory_key").doesNotContain("gen_ai_operation_name");
      List<Section> report = new ReportBuilder(source, null, 6, null).build();
      assertThat(report.get(0).note()).contains("written by an older collector");
      Section slowest = report.stream().filter(s -> s.id().equals("slowest_operations")).findFirst().orElseThrow();
      assertThat(slowest.table().rows()).extracting(r -> r.get(2)).containsExactly("store", "store", "search", "retrieve",
          "delete");
    }
    PrintStream err = System.err;
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
    try (SpanStore store = TestStores.open(dir, false); Connection connection = store.newConnection()) {
      ResultTable filled = QueryRunner.run(connection, "SELECT count(gen_ai_operation_name) AS operations, "
          + "count(gen_ai_memory_record_id) AS records, sum(gen_ai_memory_record_count) AS counted FROM spans");
      assertThat(filled.rows()).containsExactly(List.of(5L, 5L, 5L));
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void shouldOpenAStoreWrittenBeforeSpanLinksAndKeepTheLinksOfSpansStoredAfter() throws Exception {
    LegacyStores.writeBeforeLinks(dir, SpanFixtures.seedTrace());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT * FROM spans LIMIT 0").columns()).extracting(ResultTable.Column::name)
          .doesNotContain("links");
    }
    io.opentelemetry.proto.trace.v1.Span linked = SpanFixtures.span(SpanFixtures.SEED_TRACE, null, "chat m", 50, 1)
        .addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder().setTraceId(SpanFixtures.hex(SpanFixtures.SEED_TRACE))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .addAttributes(SpanFixtures.attr("memtrace.context.source", "chat_memory"))).build();
    PrintStream err = System.err;
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
    try (SpanStore store = TestStores.open(dir, false); Connection connection = store.newConnection()) {
      TestStores.write(store, SpanFixtures.request("svc", List.of(linked)));
      ResultTable rows = QueryRunner.run(connection, "SELECT name, links->>'$[0].span_id' AS linked, "
          + "links->>'$[0].attributes.\"memtrace.context.source\"' AS source FROM spans WHERE links IS NOT NULL");
      assertThat(rows.rows()).containsExactly(List.of("chat m", "0102030405060708", "chat_memory"));
      assertThat(QueryRunner.run(connection, "SELECT count(*) FROM spans").rows()).containsExactly(List.of(13L));
    } finally {
      System.setErr(err);
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT count(*) AS n FROM spans WHERE links IS NOT NULL").rows()).containsExactly(List.of(1L));
    }
  }
}
