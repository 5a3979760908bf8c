package io.memtrace.agent.pipeline;

/**
 * How many spans the consumer puts in one export: the configured size
 * ({@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE}) while the agent keeps up, more while it is behind.
 * Every export costs the endpoint about the same whatever its size (a request, a commit), so when
 * every export the first exporter may have is in flight, or events pile up in the ring, bigger
 * batches move more spans in the same number of exports. The limit doubles up to {@link #cap}
 * ({@link #GROWTH} times the configured size, never past {@link #MAX_RECORDS}, the setting's own
 * ceiling) and halves back once the ring is nearly drained and the exporter has room.
 * Consumer thread only.
 */
final class BatchSizer {

  /** How far a batch may grow past the configured size. */
  static final int GROWTH = 8;
  /** The most span records the consumer ever keeps, grown batch or not. */
  static final int MAX_RECORDS = 8192;

  private final int base;
  private final int cap;
  private int limit;

  BatchSizer(int configured) {
    this.base = Math.max(1, configured);
    this.cap = Math.max(base, (int) Math.min((long) base * GROWTH, MAX_RECORDS));
    this.limit = base;
  }

  /** Spans the batch being filled may hold before it is due. */
  int limit() {
    return limit;
  }

  /** The largest limit, so the records can be made once. */
  int cap() {
    return cap;
  }

  /**
   * The batch is full and the exporter has no room for it: lets it grow instead of holding it;
   * {@code false} when it is already as large as it may be.
   */
  boolean growWhileExporterBusy() {
    if (limit >= cap) {
      return false;
    }
    limit = (int) Math.min((long) limit * 2, cap);
    return true;
  }

  /**
   * A batch went out with {@code backlog} events still waiting in the ring: the next one is larger
   * while the backlog is at least a batch, smaller once it is under half of one and the exporter
   * is not at its limit.
   */
  void exported(long backlog, boolean exporterBusy) {
    if (backlog >= limit) {
      limit = (int) Math.min((long) limit * 2, cap);
    } else if (backlog < limit / 2 && !exporterBusy) {
      limit = Math.max(base, limit / 2);
    }
  }
}
