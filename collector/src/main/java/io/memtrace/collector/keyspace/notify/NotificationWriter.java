package io.memtrace.collector.keyspace.notify;

import io.memtrace.collector.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Takes the recorded notifications off the queue in batches of up to {@link #BATCH} (or what arrived in
 * {@link #LINGER_MILLIS}, whichever comes first) and hands them to the sink, on a thread of its own, so a slow store never holds up the
 * subscriber: the queue fills and drops instead. Status rows are written here too, after the rows received before
 * them, and each says in a warning what was lost since the last one.
 */
final class NotificationWriter {

  static final int BATCH = 5_000;
  /**
   * A transaction a second at most, unless a batch fills first: each commit costs the store far more than a row.
   * Writing as rows arrived (a commit every few rows at 1,000 a second) took the writer 20 % of a core.
   */
  static final long LINGER_MILLIS = 1_000;
  /** How often the thread looks at the queue, a status request and {@link #close} while it waits. */
  static final long TICK_MILLIS = 20;

  private final String redis;
  private final BlockingQueue<KeyNotification> queue;
  private final NotificationCounts counts;
  private final NotificationSink sink;
  private final Supplier<NotificationStatus> status;
  private final Thread thread;
  private volatile boolean statusWanted;
  private volatile boolean closed;
  private NotificationCounts.Snapshot warned;

  NotificationWriter(String redis, BlockingQueue<KeyNotification> queue, NotificationCounts counts,
      NotificationSink sink, Supplier<NotificationStatus> status) {
    this.redis = redis;
    this.queue = queue;
    this.counts = counts;
    this.sink = sink;
    this.status = status;
    this.thread = new Thread(this::run, "memtrace-notify-writer-" + redis);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * A status row once the rows queued before it are written, within {@link #TICK_MILLIS}. No interrupt: the
   * thread may be inside a store's driver, which an interrupt could leave broken.
   */
  void statusNow() {
    statusWanted = true;
  }

  private void run() {
    List<KeyNotification> batch = new ArrayList<>();
    long nextWrite = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
    while (true) {
      boolean stopping = closed;
      if (!stopping && !statusWanted && queue.size() < BATCH && System.nanoTime() < nextWrite) {
        try {
          Thread.sleep(TICK_MILLIS);
        } catch (InterruptedException e) {
          closed = true;
        }
        continue;
      }
      do {
        queue.drainTo(batch, BATCH);
        write(batch);
      } while (queue.size() >= BATCH || (stopping || statusWanted) && !queue.isEmpty());
      nextWrite = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
      if (statusWanted || stopping) {
        statusWanted = false;
        writeStatus();
      }
      if (stopping) {
        return;
      }
    }
  }

  private void write(List<KeyNotification> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      sink.write(batch);
    } catch (RuntimeException e) {
      Log.warn("keyspace notifications of " + redis + ": " + batch.size() + " not stored: " + e.getMessage());
    }
    batch.clear();
  }

  private void writeStatus() {
    NotificationStatus s = status.get();
    if (s == null) {
      return;
    }
    try {
      sink.status(s);
    } catch (RuntimeException e) {
      Log.warn("keyspace notification status of " + redis + " not stored: " + e.getMessage());
    }
    warnOfLoss(s.counts());
  }

  /** Says what was lost since the last status row, by cause; nothing when nothing was. */
  private void warnOfLoss(NotificationCounts.Snapshot now) {
    NotificationCounts.Snapshot before = warned == null ? new NotificationCounts.Snapshot(0, 0, 0, 0, 0, 0) : warned;
    warned = now;
    long lost = now.dropped() - before.dropped();
    if (lost <= 0) {
      return;
    }
    Log.warn("keyspace notifications of " + redis + ": " + lost + " of " + (now.received() - before.received())
        + " received since the last pass not recorded (" + (now.droppedSampled() - before.droppedSampled())
        + " left out by sampling, their namespaces' rows weighted for them; " + (now.droppedRate() - before.droppedRate())
        + " over the rate cap; " + (now.droppedQueue() - before.droppedQueue()) + " with the write queue full); "
        + "since start: " + now.received() + " received, " + now.recorded() + " recorded");
  }

  void close() {
    closed = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
