package io.memtrace.collector.timeline;

import java.util.List;

/**
 * What a store gives for one record's timeline, as plain rows, so that every store's rows are turned into the same
 * answer by one {@link KeyRecord}: the key events of the spans whose key is the key asked or ends with it (a memory
 * key's Redis key is usually its namespace and the key), the keyspace notifications of such keys, retention's
 * compressed counts, what the notifications covered, and the traced commands that change a whole database
 * ({@code FLUSHDB}, {@code FLUSHALL}, {@code SWAPDB}: no key on their span, no keyspace notification per key).
 */
public record RecordRows(List<SpanRow> spans, List<NotificationRow> notifications, List<CompressedRow> compressed,
    List<StatusRow> statuses, List<SpanRow> wholeDatabase) {

  public RecordRows {
    spans = List.copyOf(spans);
    notifications = List.copyOf(notifications);
    compressed = List.copyOf(compressed);
    statuses = List.copyOf(statuses);
    wholeDatabase = List.copyOf(wholeDatabase);
  }

  /** The rows of a store that holds no command on a whole database. */
  public RecordRows(List<SpanRow> spans, List<NotificationRow> notifications, List<CompressedRow> compressed,
      List<StatusRow> statuses) {
    this(spans, notifications, compressed, statuses, List.of());
  }

  /**
   * A key event of a span, as {@code key_event_rows} has it ({@code access}: read, write, delete, ttl or other).
   *
   * @param redis {@code host:port} of a Redis span, null for a memory span
   */
  public record SpanRow(long timeUs, long endUs, String traceId, String spanId, String parentSpanId, String service,
      String layer, String redis, Integer db, String key, String namespace, String access, String operation,
      Boolean found, Long valueSize, Long ttl, boolean error) {

    boolean memory() {
      return "memory".equals(layer);
    }

    int database() {
      return db == null ? 0 : db;
    }
  }

  /** A row of {@code key_notification}, its time in epoch microseconds. */
  public record NotificationRow(long timeUs, String redis, int db, String key, String namespace, String event,
      String kind, double weight) {
  }

  /** A retention count: a span from {@code startUs} to {@code endUs} ran {@code command} in {@code namespace}. */
  public record CompressedRow(long startUs, long endUs, String namespace, String command) {
  }

  /**
   * A row of {@code key_notification_status}.
   *
   * @param dropped the notifications lost so far (rate cap, sampling and full queue together)
   * @param namespaces the globs of the namespaces recorded, comma-separated; null when the row does not say
   * @param droppedNamespaces the namespaces that lost notifications since the row before; null when not said
   */
  public record StatusRow(long timeUs, String redis, String state, String notifyConfig, long dropped,
      String namespaces, String droppedNamespaces) {
  }
}
