package io.memtrace.agent.pipeline.retention;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compressed Redis spans of each memtrace span still open, by its span id, until it ends. A
 * Redis command's parent, when it has one, is the memory-manager or task span current on its
 * thread, whose end arrives after its commands (same thread, ring order). A parent whose end never
 * arrives (its event found the ring full, or its {@code CompletionStage} never completed) would
 * hold its counts for good: past {@link #MAX_OPEN} parents the oldest one's counts go to the
 * summary instead, so they are still counted once. Consumer thread only.
 */
final class ParentCounts {

  /** Parents with compressed children held at once. */
  static final int MAX_OPEN = 4096;
  /** Pairs of (command, namespace) per parent before namespaces fold into {@code _OTHER}. */
  static final int KEYS_PER_PARENT = 16;
  /** Emptied counts kept for reuse, so that a steady stream of parents allocates little. */
  private static final int SPARES = 64;

  private final Map<Long, CompressedCounts> open = new LinkedHashMap<>();
  private final CompressedCounts[] spares = new CompressedCounts[SPARES];
  private int spareCount;

  /**
   * The counts of {@code parentSpanId}, made when it has none; when that makes more than
   * {@link #MAX_OPEN}, the oldest parent's counts are first added to {@code overflow}.
   */
  CompressedCounts of(long parentSpanId, CompressedCounts overflow) {
    CompressedCounts counts = open.get(parentSpanId);
    if (counts == null) {
      if (open.size() >= MAX_OPEN) {
        Iterator<CompressedCounts> oldest = open.values().iterator();
        CompressedCounts evicted = oldest.next();
        oldest.remove();
        overflow.addAll(evicted);
        recycle(evicted);
      }
      counts = spareCount > 0 ? spares[--spareCount] : new CompressedCounts(KEYS_PER_PARENT);
      open.put(parentSpanId, counts);
    }
    return counts;
  }

  /** The counts of {@code spanId}, which ended, removed; {@code null} when it has none. Hand them back with {@link #recycle}. */
  CompressedCounts take(long spanId) {
    return open.isEmpty() ? null : open.remove(spanId);
  }

  /** Adds every open parent's counts to {@code into} and forgets them (the agent shuts down). */
  void drainInto(CompressedCounts into) {
    for (CompressedCounts counts : open.values()) {
      into.addAll(counts);
      recycle(counts);
    }
    open.clear();
  }

  int size() {
    return open.size();
  }

  void recycle(CompressedCounts counts) {
    counts.clear();
    if (spareCount < SPARES) {
      spares[spareCount++] = counts;
    }
  }
}
