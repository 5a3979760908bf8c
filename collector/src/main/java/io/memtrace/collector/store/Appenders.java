package io.memtrace.collector.store;

import java.sql.SQLException;
import org.duckdb.DuckDBAppender;

/**
 * Every DuckDB appender is flushed explicitly before it is closed. duckdb_jdbc 2.0.0.1's {@code close()} flushes what is
 * left but drops that flush's error: on a full disk an autocommitted append's "Failed to commit: Could not write file
 * ... .wal: No space left on device" is lost, and with it the rows, while the caller goes on as if they were stored
 * (found by {@code FullDiskIT}; an explicit {@code flush()} throws it).
 */
public final class Appenders {

  private Appenders() {}

  /** Flushes each appender in turn, so that a failure to store their rows is thrown rather than lost at close. */
  public static void flush(DuckDBAppender... appenders) throws SQLException {
    for (DuckDBAppender appender : appenders) {
      appender.flush();
    }
  }
}
