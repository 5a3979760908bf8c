package io.memtrace.collector.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import org.duckdb.DuckDBConnection;

/**
 * Moves committed rows from {@code span_ingest} to {@code span_store} on its own connection and
 * thread, so the JSON-to-VARIANT conversion never delays an acknowledgement. The move is one
 * transaction: a crash leaves each row in exactly one of the two tables, and the {@code spans}
 * view shows it either way.
 */
final class Compactor implements AutoCloseable {

  private static final long INTERVAL_MILLIS = 200;

  private final DuckDBConnection connection;
  private final LongSupplier committedSeq;
  private final Thread thread;
  private long compactedSeq = Long.MIN_VALUE;
  private volatile boolean closing;
  private volatile Exception lastFailure;

  Compactor(DuckDBConnection connection, LongSupplier committedSeq) {
    this.connection = connection;
    this.committedSeq = committedSeq;
    this.thread = new Thread(this::run, "memtrace-store-compactor");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Moves every row present now; used at start (rows left by a crash) and at shutdown. */
  synchronized void compactAll() throws SQLException {
    compact(Long.MAX_VALUE);
  }

  private void run() {
    while (!closing) {
      try {
        Thread.sleep(INTERVAL_MILLIS);
        long upTo = committedSeq.getAsLong();
        synchronized (this) {
          if (upTo > compactedSeq) {
            compact(upTo);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        // rows stay in span_ingest, still visible through the view; the next round retries
        lastFailure = e;
      }
    }
  }

  private void compact(long upTo) throws SQLException {
    connection.setAutoCommit(false);
    try (PreparedStatement move = connection.prepareStatement("INSERT INTO span_store SELECT "
            + Schema.CONVERTED_COLUMNS + " FROM span_ingest WHERE seq <= ?");
         PreparedStatement delete = connection.prepareStatement("DELETE FROM span_ingest WHERE seq <= ?")) {
      move.setLong(1, upTo);
      move.executeUpdate();
      delete.setLong(1, upTo);
      delete.executeUpdate();
      connection.commit();
      // after a move of "everything", the watermark is what the writer had committed, not MAX_VALUE
      compactedSeq = Math.max(compactedSeq, upTo == Long.MAX_VALUE ? committedSeq.getAsLong() : upTo);
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  Exception lastFailure() {
    return lastFailure;
  }

  @Override
  public void close() throws SQLException {
    closing = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      compactAll();
    } finally {
      Database.closeQuietly(connection);
    }
  }
}
