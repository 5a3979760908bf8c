package io.memtrace.agent.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * Bytes that Redis commands wrote and read inside each open memory span, by parent span id, so a
 * memory span whose value has no size of its own can report what actually went over the wire; and,
 * likewise, the fingerprint of the one value its commands wrote or read.
 * Consumer thread only. Children always arrive before their parent ends (same thread, ring order).
 */
public final class ChildBytes {

  /** Bound on spans tracked at once; past it the oldest knowledge is dropped (sizes are then omitted). */
  private static final int MAX_OPEN = 10_000;

  static final int WRITTEN = 0;
  static final int READ = 1;
  /** The fingerprints of the last value written and read, and how many each of them stands for. */
  private static final int FINGERPRINT = 2;
  private static final int FINGERPRINTS = 4;

  private final Map<Long, long[]> bytes = new HashMap<>();

  void add(long parentSpanId, long written, long read) {
    if (parentSpanId == 0 || (written <= 0 && read <= 0)) {
      return;
    }
    long[] sums = of(parentSpanId);
    sums[WRITTEN] += Math.max(0, written);
    sums[READ] += Math.max(0, read);
  }

  /** A child wrote ({@link #WRITTEN}) or read ({@link #READ}) a value with this fingerprint. */
  void fingerprint(long parentSpanId, int direction, long fingerprint) {
    if (parentSpanId == 0) {
      return;
    }
    long[] sums = of(parentSpanId);
    sums[FINGERPRINT + direction] = fingerprint;
    sums[FINGERPRINTS + direction]++;
  }

  private long[] of(long parentSpanId) {
    if (bytes.size() >= MAX_OPEN && !bytes.containsKey(parentSpanId)) {
      bytes.clear();
    }
    return bytes.computeIfAbsent(parentSpanId, id -> new long[6]);
  }

  /** {written, read, ...} for the span, removed; {@code null} when its children moved no data. */
  long[] take(long spanId) {
    return bytes.remove(spanId);
  }

  /**
   * Which of the values the children of a span ({@link #take}) moved is the memory call's: the one value read
   * ({@link #READ}) for a call that reads, written ({@link #WRITTEN}) for any other, else the one value the other
   * way when none went the first; -1 when there is no such value, or several (which is the call's is not known).
   */
  static int oneFingerprint(long[] wire, boolean reads) {
    if (wire == null) {
      return -1;
    }
    int first = reads ? READ : WRITTEN;
    int other = reads ? WRITTEN : READ;
    long firstCount = wire[FINGERPRINTS + first];
    return firstCount == 1 ? first : firstCount == 0 && wire[FINGERPRINTS + other] == 1 ? other : -1;
  }

  /** The fingerprint of the value {@link #oneFingerprint} chose. */
  static long fingerprintOf(long[] wire, int direction) {
    return wire[FINGERPRINT + direction];
  }
}
