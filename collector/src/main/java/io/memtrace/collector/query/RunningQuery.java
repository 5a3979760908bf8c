package io.memtrace.collector.query;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * A query in flight that another thread may stop: the {@link QueryWatchdog} when it runs past its
 * time or its client is gone. Stopping interrupts DuckDB ({@link Statement#cancel()}), which
 * frees the thread and the memory the query held; the reason is kept for the error message.
 */
public final class RunningQuery {

  /** Tells whether the client still waits for the answer; may write to it to find out. */
  @FunctionalInterface
  public interface Client {
    /** Never: a local command has no connection to lose. */
    Client LOCAL = () -> true;

    boolean stillThere();
  }

  /** The reason a query is stopped when its client went away. */
  static final String CLIENT_GONE = "the client disconnected";

  final long deadlineNanos;
  final Client client;
  final String timeoutReason;
  private volatile Statement statement;
  private volatile String stopReason;

  RunningQuery(long deadlineNanos, Client client, String timeoutReason) {
    this.deadlineNanos = deadlineNanos;
    this.client = client;
    this.timeoutReason = timeoutReason;
  }

  void attach(Statement statement) {
    this.statement = statement;
  }

  /** Stops the query; repeated calls are harmless, and one before it starts stops it at once. */
  void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    Statement s = statement;
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException ignored) {
        // already finished or closed: nothing left to stop
      }
    }
  }

  /** Why the query was stopped, or null. */
  String stopReason() {
    return stopReason;
  }
}
