package io.memtrace.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.Cli;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.Database;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code query} must never change the store or touch files, whichever way the SQL is dressed up. */
class ReadOnlyQueryTest {

  @TempDir
  Path dir;

  /**
   * One store for all the statements below, filled once: each case checks that everything is still there after it
   * (a statement that got through would show in its own case's count, or in the next one's).
   */
  @TempDir
  static Path filled;

  @BeforeAll
  static void fillTheStoreTheStatementsTry() throws Exception {
    TestStores.fill(filled, SpanFixtures.seedTrace());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "DELETE FROM spans",
      "DROP TABLE span_store",
      "INSERT INTO span_store SELECT * FROM span_store",
      "UPDATE span_store SET name = 'x'",
      "CREATE TABLE evil AS SELECT 1",
      "ATTACH '/tmp/evil.db'",
      "COPY (SELECT * FROM spans) TO '/tmp/evil.csv'",
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT 1; DELETE FROM spans",
      "PRAGMA threads=1",
      "SET enable_external_access = true",
      "INSTALL httpfs",
      "LOAD json",
      "CHECKPOINT",
  })
  void shouldRejectEveryWriteFromTheCommandLineAndKeepTheData(String sql) throws Exception {
    Cli result = Cli.run("query", "--data", filled.toString(), sql);

    assertThat(result.exitCode).as("%s", result).isEqualTo(1);
    assertThat(result.err).startsWith("error: query rejected, the span store is read-only here:");
    Cli count = Cli.run("query", "--data", filled.toString(), "--format", "csv", "SELECT count(*) AS n FROM spans");
    assertThat(count.out).as("%s", count).isEqualTo("n\n12\n");
    assertThat(filled.resolve("evil.csv")).doesNotExist();
  }

  @Test
  void shouldRejectWritesOnTheServersOwnConnectionAndRollBack() throws Exception {
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, SpanFixtures.seedTrace());
      try (Connection connection = store.newConnection()) {
        assertThatThrownBy(() -> QueryRunner.run(connection, "DELETE FROM span_store"))
            .isInstanceOf(CollectorException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> QueryRunner.run(connection, "INSERT INTO span_store SELECT * FROM span_store RETURNING name"))
            .isInstanceOf(CollectorException.class).hasMessageContaining("read-only");
        assertThat(QueryRunner.run(connection, "SELECT count(*) AS n FROM spans").number(0, "n")).isEqualTo(12);
      }
    }
  }

  @Test
  void shouldBlockFilesEvenWhenTheGuardIsBypassed() throws Exception {
    TestStores.fill(dir, SpanFixtures.seedTrace());
    Path secret = Files.writeString(dir.resolve("secret.csv"), "a,b\n1,2\n");
    try (Connection connection = Database.openReadOnly(new StoreFiles(dir))) {
      assertThatThrownBy(() -> execute(connection, "SELECT * FROM '" + secret + "'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("disabled by configuration");
      assertThatThrownBy(() -> execute(connection, "COPY (SELECT 1) TO '" + dir.resolve("out.csv") + "'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("disabled by configuration");
      assertThatThrownBy(() -> execute(connection, "SET enable_external_access = true"))
          .isInstanceOf(SQLException.class).hasMessageContaining("locked");
      assertThatThrownBy(() -> execute(connection, "DELETE FROM span_store"))
          .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
    }
    assertThat(dir.resolve("out.csv")).doesNotExist();
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void shouldExplainAMissingStore() {
    Cli result = Cli.run("query", "--data", dir.resolve("nothing-here").toString(), "SELECT 1");
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.err).contains("no span store at").contains("serve --data");
  }
}
