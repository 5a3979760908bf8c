package io.memtrace.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard reads DuckDB's parse tree, on the writable connection {@code serve} queries through. */
class SqlGuardTest {

  @TempDir
  static Path dir;
  static SpanStore store;
  static Connection connection;

  @BeforeAll
  static void open() throws Exception {
    store = TestStores.open(dir, true);
    TestStores.write(store, SpanFixtures.seedTrace());
    connection = store.newConnection();
  }

  @AfterAll
  static void close() throws Exception {
    connection.close();
    store.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM spans",
      "select count(*) from spans;",
      "WITH t AS (SELECT 1 AS x) SELECT x FROM t",
      "FROM spans LIMIT 3",
      "VALUES (1), (2)",
      "TABLE spans",
      "DESCRIBE spans",
      "SHOW TABLES",
      "SUMMARIZE spans",
      "EXPLAIN SELECT 1",
      "EXPLAIN ANALYZE SELECT count(*) FROM spans",
      "SELECT 'INSERT INTO spans; DROP TABLE spans; FROM checkpoint()' AS harmless_text",
      "SELECT 1 -- DELETE FROM spans\n",
      "SELECT /* DROP TABLE spans */ 1",
      "SELECT \"set\", \"checkpoint\" FROM (SELECT 1 AS \"set\", 2 AS \"checkpoint\")",
      "SELECT * FROM spans WHERE name IS DISTINCT FROM 'GET'",
      "SELECT replace(name, 'a', 'b'), random() < 2 FROM spans",
      "SELECT * FROM range(3) a, generate_series(1, 2) b",
      "SELECT * FROM duckdb_tables()",
      "PIVOT spans ON kind USING count(*)",
      "PIVOT spans ON kind IN ('INTERNAL', 'CLIENT') USING count(*) GROUP BY service_name",
      "SELECT * FROM (PIVOT spans ON kind USING count(*))",
      "UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b INTO NAME col VALUE v",
      "SELECT * FROM spans PIVOT (count(*) FOR kind IN ('INTERNAL'))",
  })
  void shouldLetReadsThrough(String sql) {
    assertThatCode(() -> SqlGuard.check(connection, sql)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INSERT INTO span_store SELECT * FROM span_store|only reading statements",
      "DELETE FROM spans|only reading statements",
      "SELECT 1; DROP TABLE spans|only reading statements",
      "SELECT 1; SELECT 2|only one statement",
      "WITH d AS (DELETE FROM span_store RETURNING *) SELECT * FROM d|DELETE is not allowed",
      "ATTACH '/tmp/x.db'|only reading statements",
      "COPY spans TO '/tmp/out.csv'|only reading statements",
      "INSTALL httpfs|only reading statements",
      "PRAGMA enable_profiling|only reading statements",
      "SET threads = 1|only reading statements",
      "CHECKPOINT|only reading statements",
      "SELECT * FROM checkpoint()|checkpoint() is not one of the table functions",
      "SELECT * FROM \"checkpoint\"()|checkpoint() is not one of the table functions",
      "SELECT * FROM main.\"CHECKPOINT\"()|checkpoint() is not one of the table functions",
      "SELECT * FROM spans, \"force_checkpoint\"()|force_checkpoint() is not one of",
      "SELECT * FROM \"query\"('FROM checkpoint()')|query() is not one of",
      "SELECT * FROM query_table('spans')|query_table() is not one of",
      "SELECT * FROM register_external_resource_type('x')|register_external_resource_type() is not one of",
      "SELECT * FROM truncate_duckdb_logs()|truncate_duckdb_logs() is not one of",
      "SELECT * FROM enable_logging()|enable_logging() is not one of",
      "SELECT * FROM read_csv('/etc/passwd')|read_csv() is not one of",
      "SELECT * FROM glob('/etc/*')|glob() is not one of",
      "SELECT * FROM (SELECT 1) t JOIN json_execute_serialized_sql('x') ON true|json_execute_serialized_sql() is not one of",
      "SELECT nextval('s')|nextval() changes state",
      "SELECT \"setseed\"(0.5)|setseed() changes state",
      "SELECT write_log('x')|write_log() changes state",
      "PIVOT (FROM checkpoint()) ON x USING count(*)|checkpoint() is not one of",
      "EXPLAIN ANALYZE INSERT INTO span_store SELECT * FROM span_store|only reading statements",
      "''|the query is empty",
  })
  void shouldRejectWithTheReason(String sql, String reason) {
    assertThatThrownBy(() -> SqlGuard.check(connection, sql))
        .isInstanceOf(CollectorException.class)
        .hasMessageContaining("read-only")
        .hasMessageContaining(reason);
  }

  /** The captured values are read only when asked, however the statement names their table. */
  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT value FROM key_value",
      "SELECT v.value FROM \"KEY_VALUE\" AS v",
      "SELECT * FROM main.key_value",
      "FROM spans JOIN key_value USING (trace_id)",
      "SELECT (SELECT max(value) FROM key_value)",
      "WITH x AS (SELECT * FROM key_value) SELECT * FROM x",
      "SUMMARIZE key_value",
      "DESCRIBE key_value",
      "TABLE key_value",
      "SELECT * FROM pragma_storage_info('key_value')",
  })
  void shouldRefuseTheCapturedValuesUnlessAsked(String sql) {
    assertThatThrownBy(() -> SqlGuard.check(connection, sql)).isInstanceOf(CollectorException.class)
        .hasMessageContaining("key_value holds the captured values").hasMessageContaining("--include-values");
    assertThatCode(() -> SqlGuard.check(connection, sql, true)).doesNotThrowAnyException();
  }

  @Test
  void shouldReportASyntaxErrorInDuckDbsWords() {
    assertThatThrownBy(() -> SqlGuard.check(connection, "SELEC 1"))
        .isInstanceOf(CollectorException.class)
        .hasMessageStartingWith("query failed: syntax error at or near \"SELEC\"");
  }

  @Test
  void shouldGivePlaceholderListsToADynamicPivotOnly() {
    assertThat(DynamicPivot.withPlaceholderLists("PIVOT spans ON kind, name USING count(*)"))
        .isEqualTo("PIVOT spans ON kind IN (NULL), name IN (NULL) USING count(*)");
    assertThat(DynamicPivot.withPlaceholderLists("FROM (PIVOT spans ON kind) t"))
        .isEqualTo("FROM (PIVOT spans ON kind IN (NULL)) t");
    assertThat(DynamicPivot.withPlaceholderLists("PIVOT spans ON kind IN ('A') USING count(*)"))
        .isEqualTo("PIVOT spans ON kind IN ('A') USING count(*)");
  }
}
