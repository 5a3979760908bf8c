package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Transaction#run} with DuckDB's appender, whose driver begins no native transaction at
 * {@code setAutoCommit(false)}: rows appended in chunks are committed with the rest of the work or not at all.
 */
class TransactionTest {

  /** More than one appender chunk (2,048 rows), so that the appender flushes one before the failure. */
  private static final int ROWS = 5_000;

  @Test
  void shouldStoreNoneOfAnAppendThatFailsAfterItsFirstChunk(@TempDir Path dir) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("t.duckdb"))) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE rows (n INTEGER NOT NULL CHECK (n < 3000))");
      }
      assertThatThrownBy(() -> Transaction.run(c, () -> appendUpTo(c, ROWS))).isInstanceOf(SQLException.class);
      assertThat(count(c)).as("rows kept of the failed append").isZero();
      assertThat(c.getAutoCommit()).isTrue();

      // an Error out of the work (the heap ran out) keeps nothing either
      assertThatThrownBy(() -> Transaction.run(c, () -> {
        appendUpTo(c, 100);
        throw new OutOfMemoryError("a test's");
      })).isInstanceOf(OutOfMemoryError.class);
      assertThat(count(c)).as("rows kept of the work an Error ended").isZero();

      Transaction.run(c, () -> appendUpTo(c, 2_999));
      assertThat(count(c)).as("rows kept of the append that succeeded").isEqualTo(2_999);
    }
  }

  @Test
  void shouldTakeTheNextTransactionAfterACommitThatFailed(@TempDir Path dir) throws Exception {
    String url = "jdbc:duckdb:" + dir.resolve("t.duckdb");
    try (Connection c = DriverManager.getConnection(url);
         Connection other = c.unwrap(DuckDBConnection.class).duplicate()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE keyed (k INTEGER PRIMARY KEY)");
        s.execute("CREATE TABLE rows (n INTEGER NOT NULL CHECK (n < 3000))");
      }
      // the other connection commits the same key while this transaction holds it: this COMMIT is refused
      assertThatThrownBy(() -> Transaction.run(c, () -> {
        try (Statement s = c.createStatement(); Statement o = other.createStatement()) {
          s.execute("INSERT INTO keyed VALUES (1)");
          o.execute("INSERT INTO keyed VALUES (1)");
        }
        return null;
      })).isInstanceOf(SQLException.class);
      Transaction.run(c, () -> appendUpTo(c, 10));
      assertThat(count(c)).as("the next transaction's rows").isEqualTo(10);
      Transaction.run(c, () -> {
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO keyed VALUES (2)");
        }
        return null;
      });
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT list(k ORDER BY k) FROM keyed")) {
        r.next();
        assertThat(r.getString(1)).isEqualTo("[1, 2]");
      }
    }
  }

  private static Void appendUpTo(Connection c, int n) throws SQLException {
    try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class).createAppender("main", "rows")) {
      for (int i = 0; i < n; i++) {
        appender.beginRow();
        appender.append(i);
        appender.endRow();
      }
      Appenders.flush(appender);
    }
    return null;
  }

  private static long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM rows")) {
      r.next();
      return r.getLong(1);
    }
  }
}
