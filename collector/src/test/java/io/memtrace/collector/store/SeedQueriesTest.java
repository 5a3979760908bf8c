package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.QueryRunner;
import io.memtrace.collector.query.ResultFormat;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.testsupport.SeedQueries;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three queries of seed 000, exactly as written there, on the seed's trace. */
class SeedQueriesTest {

  static final String SLOWEST = SeedQueries.SLOWEST;
  static final String LARGEST = SeedQueries.LARGEST;
  static final String BY_NAMESPACE = SeedQueries.BY_NAMESPACE;

  @TempDir
  Path dir;

  @Test
  void shouldAnswerTheSeedQueriesFromTheCompactedStore() throws Exception {
    TestStores.fill(dir, SpanFixtures.seedTrace());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertSeedResults(source::query);
    }
  }

  @Test
  void shouldAnswerTheSeedQueriesBeforeCompaction() throws Exception {
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, SpanFixtures.seedTrace());
      try (Connection connection = store.newConnection()) {
        assertThat(count(connection, "SELECT count(*) AS n FROM span_ingest")).as("rows still in the ingest table").isEqualTo(12);
        assertThat(count(connection, "SELECT count(*) AS n FROM span_store")).isZero();
        assertSeedResults(sql -> QueryRunner.run(connection, sql));
      }
    }
  }

  @Test
  void shouldMoveAcknowledgedSpansToTheVariantTableInTheBackground() throws Exception {
    try (SpanStore store = TestStores.open(dir, true); Connection connection = store.newConnection()) {
      TestStores.write(store, SpanFixtures.seedTrace());
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
          .until(() -> count(connection, "SELECT count(*) AS n FROM span_store") == 12);
      TestStores.write(store, SpanFixtures.request("second", List.of(SpanFixtures.span("00000000000000000000000000000002",
          null, "later", 0, 1).build())));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
          .until(() -> count(connection, "SELECT count(*) AS n FROM span_store") == 13);
      assertThat(count(connection, "SELECT count(*) AS n FROM span_ingest")).isZero();
      assertSeedResults(sql -> QueryRunner.run(connection, sql));
    }
  }

  @Test
  void shouldPrintTheSeedTables() throws Exception {
    TestStores.fill(dir, SpanFixtures.seedTrace());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(ResultFormat.TABLE.render(source.query(SLOWEST))).isEqualTo(
          "key                            namespace        duration_ms\n"
          + "-----------------------------------------------------------\n"
          + "coverage-report-user-service   aqe/reports      15\n"
          + "test-plan-user-service         aqe/test-plans   12\n"
          + "test-plan-%                    aqe/test-plans   8\n"
          + "test-plan-user-service         aqe/test-plans   5\n"
          + "test-plan-user-service         aqe/test-plans   4\n"
          + "(5 rows)\n");
      String byNamespace = ResultFormat.TABLE.render(source.query(BY_NAMESPACE + "".replace(";", "")));
      assertThat(byNamespace).contains("aqe/test-plans   4                 7.25").contains("aqe/reports      1                 15.00");
      assertThat(ResultFormat.CSV.render(source.query(LARGEST)))
          .isEqualTo("key,size_bytes\ncoverage-report-user-service,1247\ntest-plan-user-service,387\n");
      assertThat(ResultFormat.JSON.render(source.query(LARGEST))).contains("\"size_bytes\" : 1247");
    }
  }

  interface Sql {
    ResultTable run(String sql);
  }

  private static void assertSeedResults(Sql sql) {
    ResultTable slowest = sql.run(SLOWEST);
    assertThat(slowest.rows()).containsExactly(
        List.of("coverage-report-user-service", "aqe/reports", 15L),
        List.of("test-plan-user-service", "aqe/test-plans", 12L),
        List.of("test-plan-%", "aqe/test-plans", 8L),
        List.of("test-plan-user-service", "aqe/test-plans", 5L),
        List.of("test-plan-user-service", "aqe/test-plans", 4L));

    ResultTable largest = sql.run(LARGEST);
    assertThat(largest.rows()).containsExactly(
        List.of("coverage-report-user-service", 1247L),
        List.of("test-plan-user-service", 387L));

    ResultTable byNamespace = sql.run(BY_NAMESPACE);
    assertThat(byNamespace.columns()).extracting(ResultTable.Column::type).containsExactly("VARCHAR", "BIGINT", "DOUBLE");
    assertThat(byNamespace.rows()).containsExactlyInAnyOrder(
        List.of("aqe/test-plans", 4L, 7.25),
        List.of("aqe/reports", 1L, 15.0));
  }

  private static long count(Connection connection, String sql) {
    return QueryRunner.run(connection, sql).number(0, "n");
  }
}
