package io.memtrace.agent.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * Bytes that Redis commands wrote and read inside each open memory span, by parent span id, so a
 * memory span whose value has no size of its own can report what actually went over the wire.
 * Consumer thread only. Children always arrive before their parent ends (same thread, ring order).
 */
public final class ChildBytes {

  /** Bound on spans tracked at once; past it the oldest knowledge is dropped (sizes are then omitted). */
  private static final int MAX_OPEN = 10_000;

  private final Map<Long, long[]> bytes = new HashMap<>();

  void add(long parentSpanId, long written, long read) {
    if (parentSpanId == 0 || (written <= 0 && read <= 0)) {
      return;
    }
    if (bytes.size() >= MAX_OPEN && !bytes.containsKey(parentSpanId)) {
      bytes.clear();
    }
    long[] sums = bytes.computeIfAbsent(parentSpanId, id -> new long[2]);
    sums[0] += Math.max(0, written);
    sums[1] += Math.max(0, read);
  }

  /** {written, read} for the span, removed; {@code null} when its children moved no data. */
  long[] take(long spanId) {
    return bytes.remove(spanId);
  }
}
