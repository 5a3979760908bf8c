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
  /** The namespaces that lost a notification since {@link #takeDroppedNamespaces}; null past {@link #MAX_NAMED}. */
  private java.util.Set<String> droppedNamespaces = new java.util.TreeSet<>();

  /** The most namespaces a status row names as having lost notifications; past it, it says {@code *}. */
  static final int MAX_NAMED = 20;

  synchronized void ignored() {
    ignored++;
  }

  synchronized void recorded() {
    received++;
    recorded++;
  }

  synchronized void droppedRate(String namespace) {
    received++;
    droppedRate++;
    lost(namespace);
  }

  synchronized void droppedSampled(String namespace) {
    received++;
    droppedSampled++;
    lost(namespace);
  }

  synchronized void droppedQueue(String namespace) {
    received++;
    droppedQueue++;
    lost(namespace);
  }

  private void lost(String namespace) {
    if (droppedNamespaces != null) {
      droppedNamespaces.add(namespace == null ? "" : namespace);
      if (droppedNamespaces.size() > MAX_NAMED) {
        droppedNamespaces = null;
      }
    }
  }

  /**
   * The namespaces that lost notifications since the last call, comma-separated ({@code ""} for keys without one),
   * {@code *} when more than {@link #MAX_NAMED} did; null when none did. Starts afresh.
   */
  synchronized String takeDroppedNamespaces() {
    String taken = droppedNamespaces == null ? NotificationSettings.EVERY_NAMESPACE
        : droppedNamespaces.isEmpty() ? null : String.join(",", droppedNamespaces);
    droppedNamespaces = new java.util.TreeSet<>();
    return taken;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(received, recorded, droppedRate, droppedSampled, droppedQueue, ignored);
  }
}
