package io.memtrace.collector.query;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlGuardTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM spans",
      "select count(*) from spans;",
      "WITH t AS (SELECT 1 AS x) SELECT x FROM t",
      "FROM spans LIMIT 3",
      "DESCRIBE spans",
      "SHOW TABLES",
      "SUMMARIZE spans",
      "EXPLAIN SELECT 1",
      "SELECT 'INSERT INTO spans; DROP TABLE spans' AS harmless_text",
      "SELECT 1 -- DELETE FROM spans\n",
      "SELECT /* DROP TABLE spans */ 1",
      "SELECT \"set\" FROM (SELECT 1 AS \"set\")",
      "SELECT * FROM spans WHERE name IS DISTINCT FROM 'GET'",
      "SELECT replace(name, 'a', 'b') FROM spans",
  })
  void shouldLetReadsThrough(String sql) {
    assertThatCode(() -> SqlGuard.check(sql)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INSERT INTO spans SELECT * FROM spans|a query must be a SELECT",
      "DELETE FROM spans|a query must be a SELECT",
      "SELECT 1; DROP TABLE spans|only one statement",
      "SELECT 'x\\'; DROP TABLE spans; --'|only one statement",
      "WITH d AS (DELETE FROM spans RETURNING *) SELECT * FROM d|DELETE is not allowed",
      "ATTACH '/tmp/x.db'|a query must be a SELECT",
      "COPY spans TO '/tmp/out.csv'|a query must be a SELECT",
      "INSTALL httpfs|a query must be a SELECT",
      "LOAD json|a query must be a SELECT",
      "PRAGMA enable_profiling|a query must be a SELECT",
      "SET threads = 1|a query must be a SELECT",
      "SELECT * FROM read_csv('/etc/passwd')|read_csv() reads files",
      "SELECT * FROM READ_PARQUET('x.parquet')|read_parquet() reads files",
      "SELECT * FROM read_json_auto('x.json')|read_json_auto() reads files",
      "SELECT * FROM glob('/etc/*')|glob() reads files",
      "SELECT * FROM query('SELECT 1')|query() reads files or runs other SQL",
      "SELECT * FROM '/etc/passwd'|reading a file by name",
      "EXPLAIN ANALYZE INSERT INTO spans SELECT * FROM spans|INSERT is not allowed",
      "''|the query is empty",
      "SELECT 'unterminated|unterminated string literal",
  })
  void shouldRejectWithTheReason(String sql, String reason) {
    assertThatThrownBy(() -> SqlGuard.check(sql))
        .isInstanceOf(CollectorException.class)
        .hasMessageContaining("read-only")
        .hasMessageContaining(reason);
  }
}
