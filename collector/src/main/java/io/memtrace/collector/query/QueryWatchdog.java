package io.memtrace.collector.query;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that looks at every running query four times a second and stops those past
 * their deadline or whose client went away. It keeps stopping a query until it ends, so a cancel
 * that arrived just before DuckDB started executing is not lost.
 */
final class QueryWatchdog {

  static final long TICK_MILLIS = 250;

  private static final Set<RunningQuery> RUNNING = ConcurrentHashMap.newKeySet();
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "memtrace-query-watchdog");
    t.setDaemon(true);
    return t;
  });

  static {
    TIMER.scheduleWithFixedDelay(QueryWatchdog::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private QueryWatchdog() {
  }

  static RunningQuery watch(Duration timeout, RunningQuery.Client client) {
    RunningQuery query = new RunningQuery(System.nanoTime() + timeout.toNanos(), client,
        "it ran longer than the query timeout of " + describe(timeout));
    RUNNING.add(query);
    return query;
  }

  static void forget(RunningQuery query) {
    RUNNING.remove(query);
  }

  private static String describe(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }

  private static void tick() {
    long now = System.nanoTime();
    for (RunningQuery query : RUNNING) {
      try {
        if (now - query.deadlineNanos > 0) {
          query.stop(query.timeoutReason);
        } else if (!query.client.stillThere()) {
          query.stop(RunningQuery.CLIENT_GONE);
        }
      } catch (RuntimeException e) {
        query.stop("its client check failed: " + e);
      }
    }
  }
}
