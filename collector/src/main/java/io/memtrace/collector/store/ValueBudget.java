package io.memtrace.collector.store;

import io.memtrace.collector.CriticalThreads;
import io.memtrace.collector.Failures;
import io.memtrace.collector.Log;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@code key_value} within its own retention and size budget ({@code serve --value-retention},
 * {@code --value-budget}), apart from the spans': every interval ({@code --value-check-interval}) it deletes the values older than the
 * retention, then, while the values' bytes (the stored payloads and keys) exceed the budget, the oldest ones. Nothing
 * goes silently: what each rule removed is counted ({@code values} in {@code /api/status}) and a removal for the
 * budget is said on stderr, at most once a minute. One thread, on a connection of its own; between two checks
 * the table may exceed its budget by what arrived meanwhile.
 */
public final class ValueBudget implements AutoCloseable {

  private final Connection connection;
  private final Duration retention;
  private final long budgetBytes;
  private final long intervalMillis;
  private final Thread thread;
  private final AtomicLong prunedRetention = new AtomicLong();
  private final AtomicLong prunedBudget = new AtomicLong();
  private final AtomicLong prunedBudgetBytes = new AtomicLong();
  /** The figures of the last pass, published whole, so a reader never sees its removals without its totals. */
  private volatile Figures published;
  private volatile boolean closing;
  private long warnedAt;

  ValueBudget(Connection connection, Duration retention, long budgetBytes, Duration interval) {
    this.connection = connection;
    this.retention = retention;
    this.budgetBytes = budgetBytes;
    this.intervalMillis = Math.max(1, interval.toMillis());
    this.thread = new Thread(this::run, "memtrace-value-budget");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
    CriticalThreads.watch(thread);
  }

  /** What the rules keep and removed, for {@code /api/status}. */
  public record Figures(long retentionSeconds, long budgetBytes, long stored, long storedBytes, long prunedRetention,
      long prunedBudget, long prunedBudgetBytes) {
  }

  public Figures figures() {
    Figures last = published;
    return last != null ? last : new Figures(retention.toSeconds(), budgetBytes, 0, 0, 0, 0, 0);
  }

  private void run() {
    while (!closing) {
      try {
        apply();
      } catch (SQLException e) {
        if (!closing) {
          Log.warn("the captured values' retention and budget could not be applied (tried again later): "
              + e.getMessage());
        }
      } catch (Throwable t) {
        Failures.inThread(t);
      }
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Applies the retention, then the budget; visible for tests that do not wait for the thread. */
  void apply() throws SQLException {
    try (Statement s = connection.createStatement()) {
      long cutoffMicros = (System.currentTimeMillis() - retention.toMillis()) * 1000;
      prunedRetention.addAndGet(s.executeUpdate("DELETE FROM key_value WHERE time < make_timestamp("
          + cutoffMicros + ")"));
      long[] totals = totals(s);
      if (totals[1] > budgetBytes) {
        // newest first, the running total of bytes: what lies past the budget is the oldest, and goes
        String past = "SELECT rowid AS id, strlen(value) + strlen(key) AS bytes FROM (SELECT rowid, value, "
            + "key, sum(strlen(value) + strlen(key)) OVER (ORDER BY time DESC, rowid DESC) AS newer "
            + "FROM key_value) WHERE newer > " + budgetBytes;
        long bytes;
        try (ResultSet r = s.executeQuery("SELECT coalesce(sum(bytes), 0) FROM (" + past + ")")) {
          r.next();
          bytes = r.getLong(1);
        }
        int removed = s.executeUpdate("DELETE FROM key_value WHERE rowid IN (SELECT id FROM (" + past + "))");
        long all = prunedBudget.addAndGet(removed);
        prunedBudgetBytes.addAndGet(bytes);
        long now = System.currentTimeMillis();
        if (removed > 0 && now - warnedAt >= 60_000) {
          warnedAt = now;
          Log.warn("captured values over --value-budget (" + budgetBytes + " bytes): the oldest " + removed
              + " were deleted (" + all + " so far; values.pruned_budget in /api/status; said at most once a minute)");
        }
        totals = totals(s);
      }
      published = new Figures(retention.toSeconds(), budgetBytes, totals[0], totals[1], prunedRetention.get(),
          prunedBudget.get(), prunedBudgetBytes.get());
    }
  }

  private static long[] totals(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT count(*), coalesce(sum(strlen(value) + strlen(key)), 0) "
        + "FROM key_value")) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2)};
    }
  }

  @Override
  public void close() {
    closing = true;
    CriticalThreads.retire(thread);
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Database.closeQuietly(connection);
  }
}
