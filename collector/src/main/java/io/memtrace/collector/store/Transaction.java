package io.memtrace.collector.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work on a connection as one transaction: committed whole, or rolled back and rethrown. */
public final class Transaction {

  /** Work that may fail with a database error. */
  public interface Work<T> {
    T run() throws SQLException;
  }

  private Transaction() {
  }

  public static <T> T run(Connection connection, Work<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
