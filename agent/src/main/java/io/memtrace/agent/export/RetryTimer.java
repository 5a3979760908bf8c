package io.memtrace.agent.export;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where {@link OtlpHttpSender}'s payloads wait out a back-off or a {@code Retry-After}: on a timer,
 * not on a sender lane, so the lanes keep posting other payloads meanwhile. Each waiter is told
 * exactly once either that it is {@linkplain Waiter#due due} or that the timer
 * {@linkplain Waiter#stopped stopped}; {@link #stop} tells every waiter at once, on the calling
 * thread, instead of letting them sit out their waits.
 */
final class RetryTimer {

  /** A payload waiting for its next attempt. */
  interface Waiter {
    /** The wait is over: post again. Runs on the timer's thread. */
    void due();

    /** The timer stopped before the wait was over (or when it was asked to wait): give up. */
    void stopped();
  }

  /** Its one thread starts with the first wait. */
  private final ScheduledThreadPoolExecutor timer;
  /**
   * The waiters not yet told. Whoever removes one (its timer task, or {@link #stop}) tells it, so it
   * is told once. A task that {@code shutdownNow} hands back is cancelled when run, not run, so the
   * waiters cannot be reached through their tasks once the timer is stopped.
   */
  private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();

  RetryTimer(String threadName) {
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Tells {@code waiter} it is due after {@code delayMillis}, or that the timer stopped before then. */
  void after(long delayMillis, Waiter waiter) {
    waiting.add(waiter);
    try {
      timer.schedule(() -> {
        if (waiting.remove(waiter)) {
          waiter.due();
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) { // stopped meanwhile; stop may have told it already
      if (waiting.remove(waiter)) {
        waiter.stopped();
      }
    }
  }

  /** How many waiters have been told nothing yet. */
  int waiting() {
    return waiting.size();
  }

  /** Stops the timer and tells every waiter so before returning. */
  void stop() {
    timer.shutdownNow();
    for (Waiter waiter : waiting) {
      if (waiting.remove(waiter)) {
        waiter.stopped();
      }
    }
  }
}
