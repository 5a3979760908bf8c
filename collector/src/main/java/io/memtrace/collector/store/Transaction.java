package io.memtrace.collector.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs work on a connection as one transaction: committed whole, or rolled back and rethrown.
 *
 * <p>Two ways of DuckDB's JDBC driver are met here. It begins the native transaction at the first statement after
 * {@code setAutoCommit(false)}, not at the call: an appender used before any statement ran in autocommit and committed
 * each 2,048-row chunk it flushed on its own (FullDiskIT: a load of ten requests that failed on a full disk had
 * committed its first chunk, and the retry stored those four requests twice). So {@link #run} begins it with a
 * statement before the work. And after a {@code COMMIT} that failed (a full disk), the driver still takes the
 * transaction for running while DuckDB has ended it: its {@code ROLLBACK} fails, and so did every later transaction on
 * the connection. So a rollback that fails is done again on a transaction begun for it.
 *
 * <p>Work run on a connection with a transaction open already (out of autocommit) runs within that one.
 */
public final class Transaction {

  /** Work that may fail with a database error. */
  public interface Work<T> {
    T run() throws SQLException;
  }

  private Transaction() {
  }

  public static <T> T run(Connection connection, Work<T> work) throws SQLException {
    if (!connection.getAutoCommit()) {
      return work.run(); // within the transaction the caller has open
    }
    connection.setAutoCommit(false);
    try {
      execute(connection, "SELECT 1"); // the driver begins the native transaction here
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      rollback(connection, e); // an Error too: the finally below would otherwise commit what the work had done
      throw e;
    } finally {
      connection.setAutoCommit(true); // commits nothing: the transaction has ended either way
    }
  }

  private static void rollback(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException ended) {
      // a failed COMMIT ended DuckDB's transaction but not the driver's: begin one (the driver adds no BEGIN of its
      // own while it takes one for running) and roll that back, which ends the driver's too
      try {
        execute(connection, "BEGIN TRANSACTION");
        connection.rollback();
      } catch (SQLException again) {
        failure.addSuppressed(again);
      }
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }
}
