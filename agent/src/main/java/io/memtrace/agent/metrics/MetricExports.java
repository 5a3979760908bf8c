package io.memtrace.agent.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exports memtrace's own metric exporters have started and still wait on, for the last flush at shutdown. The
 * SDK's periodic reader drops a flush that finds an export in flight ("Exporter busy"), failing it at once: a JVM
 * whose last periodic export was on the wire when it began to exit then sent no final metrics at all, the exit
 * cutting that export off too (an app of half a second, exporting every 500 ms, met it). So shutdown first lets the
 * export in flight finish, and flushes again when a flush reached no exporter.
 */
final class MetricExports {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong started = new AtomicLong();
  private volatile boolean lastSucceeded;

  void start() {
    started.incrementAndGet();
    inFlight.incrementAndGet();
  }

  /** An export ended; {@code succeeded}: the exporter said so. */
  void end(boolean succeeded) {
    lastSucceeded = succeeded;
    inFlight.decrementAndGet();
  }

  /**
   * Whether the export that ended last succeeded: the SDK's flush completes once its export ended, whatever the
   * export's outcome, so the outcome is read here.
   */
  boolean lastSucceeded() {
    return lastSucceeded;
  }

  long started() {
    return started.get();
  }

  /** Waits until no export is in flight, or {@code deadlineNanos} (a {@code System.nanoTime()}) passes. */
  void awaitIdle(long deadlineNanos) {
    while (inFlight.get() > 0 && System.nanoTime() < deadlineNanos) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
