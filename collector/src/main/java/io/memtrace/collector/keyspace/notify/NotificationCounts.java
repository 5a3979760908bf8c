package io.memtrace.collector.keyspace.notify;

/**
 * The subscription's counts since the watcher started. The subscriber thread alone adds to them, each notification
 * under one short lock, so that a {@link #snapshot} always holds {@code received = recorded + dropped_rate +
 * dropped_sampled + dropped_queue}. {@code received} counts the notifications of watched namespaces and known
 * events; {@code ignored} the others (another namespace, an event the watcher does not record).
 */
public final class NotificationCounts {

  /** The counts at one moment. */
  public record Snapshot(long received, long recorded, long droppedRate, long droppedSampled, long droppedQueue,
      long ignored) {

    public long dropped() {
      return droppedRate + droppedSampled + droppedQueue;
    }
  }

  private long received;
  private long recorded;
  private long droppedRate;
  private long droppedSampled;
  private long droppedQueue;
  private long ignored;

  synchronized void ignored() {
    ignored++;
  }

  synchronized void recorded() {
    received++;
    recorded++;
  }

  synchronized void droppedRate() {
    received++;
    droppedRate++;
  }

  synchronized void droppedSampled() {
    received++;
    droppedSampled++;
  }

  synchronized void droppedQueue() {
    received++;
    droppedQueue++;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(received, recorded, droppedRate, droppedSampled, droppedQueue, ignored);
  }
}
