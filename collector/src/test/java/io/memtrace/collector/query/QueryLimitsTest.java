package io.memtrace.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A query cannot run for ever, outlive its client, or return more than its bounds. */
class QueryLimitsTest {

  @TempDir
  static Path dir;
  static SpanStore store;

  @BeforeAll
  static void open() throws Exception {
    store = TestStores.open(dir, true);
    TestStores.write(store, SpanFixtures.seedTrace());
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void shouldStopAQueryThatRunsPastItsTimeout() throws Exception {
    QueryLimits limits = new QueryLimits(Duration.ofMillis(500), 100, 1 << 20);
    try (Connection connection = store.newConnection()) {
      assertThatThrownBy(() -> QueryRunner.run(connection, "SELECT count(*) FROM range(1000000000000)", limits,
          RunningQuery.Client.LOCAL))
          .isInstanceOf(CollectorException.class)
          .hasMessage("query stopped: it ran longer than the query timeout of 500 ms");
      assertThat(QueryRunner.run(connection, "SELECT count(*) AS n FROM spans").number(0, "n"))
          .as("the connection still works").isEqualTo(12);
    }
  }

  @Test
  void shouldStopOneOfTheCollectorsOwnStatementsThatRunsPastItsTimeout() throws Exception {
    QueryLimits limits = new QueryLimits(Duration.ofMillis(500), 100, 1 << 20);
    try (Connection connection = store.newConnection()) {
      OwnStatements own = new OwnStatements();
      assertThatThrownBy(() -> QueryRunner.runOwn(connection, "SELECT count(*) FROM range(1000000000000)", own, limits,
          RunningQuery.Client.LOCAL))
          .isInstanceOf(CollectorException.class)
          .hasMessage("query stopped: it ran longer than the query timeout of 500 ms");
      assertThatThrownBy(() -> QueryRunner.runOwn(connection, "SELECT no_such_column FROM spans", own, limits,
          RunningQuery.Client.LOCAL))
          .isInstanceOf(CollectorException.class)
          .hasMessageStartingWith("query failed: Binder Error")
          .hasMessageContaining("no_such_column");
      assertThat(QueryRunner.runOwn(connection, "SELECT count(*) AS n FROM spans", own, limits,
          RunningQuery.Client.LOCAL).number(0, "n"))
          .as("the connection still works").isEqualTo(12);
    }
  }

  @Test
  void shouldStopAQueryWhoseClientIsGone() throws Exception {
    long gone = System.nanoTime() + 300_000_000L;
    try (Connection connection = store.newConnection()) {
      assertThatThrownBy(() -> QueryRunner.run(connection, "SELECT count(*) FROM range(1000000000000)",
          QueryLimits.DEFAULT, () -> System.nanoTime() < gone))
          .isInstanceOf(CollectorException.class)
          .hasMessage("query stopped: the client disconnected");
    }
  }

  @Test
  void shouldCutAResultAtItsRowBoundAndSaySo() throws Exception {
    ResultTable result = run("SELECT * FROM range(10)", new QueryLimits(Duration.ofSeconds(5), 3, 1 << 20));
    assertThat(result.size()).isEqualTo(3);
    assertThat(result.truncation()).isEqualTo("the first 3 rows");
    assertThat(TableText.render(result)).endsWith("(3 rows, truncated to the first 3 rows)\n");
  }

  @Test
  void shouldCutAResultAtItsByteBoundAndSaySo() throws Exception {
    // 2,000 rows of 40 kB: 80 MB whole, cut at 1 MiB
    ResultTable result = run("SELECT repeat('x', 40000) AS v FROM range(2000)",
        new QueryLimits(Duration.ofSeconds(30), 100_000, 1 << 20));
    assertThat(result.size()).isEqualTo(26);
    assertThat(result.truncation()).isEqualTo("the first 26 rows, as the next one would pass 1048576 bytes");
  }

  /** {@code sql} run as a user's statement within {@code limits}, on a connection of its own. */
  private static ResultTable run(String sql, QueryLimits limits) throws Exception {
    try (Connection connection = store.newConnection()) {
      return QueryRunner.run(connection, sql, limits, RunningQuery.Client.LOCAL);
    }
  }
}
