package io.memtrace.collector.store;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The spans the writer committed most recently, by identity, so that a retried request (its
 * answer lost or late, the client sent it again) is not stored twice. Two generations of
 * {@link LongPairSet}: when the newer is full the older is dropped, so the window holds between
 * one and two generations of the latest ids in bounded memory. A retry older than that is caught
 * by the {@link Compactor}, which de-duplicates against {@code span_store} as it moves rows.
 *
 * <p>A span is its (trace id, span id); the pair kept is the span id and the low 64 bits of the
 * trace id, both random in every id generator we know. One thread (the writer) owns it.
 */
final class DedupWindow {

  /** Bytes of heap per pair held: two longs in a table at most half full, and an int of bookkeeping. */
  static final int BYTES_PER_SPAN = 2 * 2 * Long.BYTES + Integer.BYTES;

  /** Rows in a flush, most often; a flush with more grows the pending set. */
  private static final int PENDING = 1 << 17;

  private LongPairSet current;
  private LongPairSet previous;
  /** The spans of the flush being written: remembered once it commits, forgotten if it fails. */
  private LongPairSet pending = new LongPairSet(PENDING);
  /** Written by the writer thread only, read by any. */
  private volatile long skipped;
  /** The highest sequence number a generation can hold, for the current and previous one. */
  private long currentLastSeq;
  private long previousLastSeq;
  /** Whether the current generation holds spans of the flush being remembered. */
  private boolean currentHoldsThisFlush;
  /** Rows up to this sequence number may have been forgotten; see {@link #forgottenThrough}. */
  private long forgottenThrough;
  /**
   * Each time the window forgot rows, oldest first: {@code {after, through}}, rows after sequence number
   * {@code after} were checked against a window without those up to {@code through}. Guarded by itself:
   * the writer adds, the compactor reads and prunes ({@link #repeatsAfter}).
   */
  private final ArrayDeque<long[]> forgettings = new ArrayDeque<>();

  /** {@code firstSeq}: the first sequence number this window sees; rows before it it never knew. */
  DedupWindow(int perGeneration, long firstSeq) {
    this.current = new LongPairSet(perGeneration);
    this.previous = new LongPairSet(perGeneration);
    this.forgottenThrough = firstSeq - 1;
    this.currentLastSeq = firstSeq - 1;
    this.previousLastSeq = firstSeq - 1;
    // rows an earlier process left were checked against a window this one never had: any may be a repeat
    this.forgettings.add(new long[] {Long.MIN_VALUE, firstSeq - 1});
  }

  /**
   * The places in {@code prepared} of the rows that are neither committed within the window nor earlier
   * in the flush being written, in their order; the others are counted in {@link #skipped}. Their keys
   * were worked out on the request's thread.
   */
  int[] firstSightings(PreparedSpans prepared) {
    int n = prepared.size();
    if (pending.size() + n > pending.capacity()) {
      grow(pending.size() + n);
    }
    int[] fresh = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      long spanKey = prepared.spanKeys[i];
      if (spanKey == 0) {
        fresh[count++] = i;
        continue;
      }
      long traceKey = prepared.traceKeys[i];
      if (contains(spanKey, traceKey) || !pending.add(spanKey, traceKey)) {
        skipped = skipped + 1;
      } else {
        fresh[count++] = i;
      }
    }
    return count == n ? fresh : Arrays.copyOf(fresh, count);
  }

  /** The flush committed, its rows up to sequence number {@code lastSeq}: its spans join the window. */
  void committed(long lastSeq) {
    for (int n = 0; n < pending.size(); n++) {
      add(pending.firstOf(n), pending.secondOf(n), lastSeq);
    }
    if (currentHoldsThisFlush) {
      currentLastSeq = lastSeq;
    }
    currentHoldsThisFlush = false;
    pending.clear();
  }

  /**
   * Every two rows above this sequence number are distinct spans: the later of them was checked
   * against a window that still held the earlier. Which later rows were checked without the rows up
   * to here, {@link #repeatsAfter} tells the compactor.
   */
  long forgottenThrough() {
    return forgottenThrough;
  }

  /**
   * Rows above {@code movedThrough} that may repeat one the window had forgotten when they came: only those
   * after the sequence number returned. A row can be such a repeat only when a row it repeats, not yet moved,
   * was forgotten before it was checked; a row checked earlier was checked against a window that still held
   * every row not moved, and a repeat of a moved row the compactor finds in {@code span_store}. Long.MAX_VALUE
   * when no row can be. Forgettings of moved rows only are dropped here, so {@code movedThrough} must not go back.
   */
  long repeatsAfter(long movedThrough) {
    synchronized (forgettings) {
      while (!forgettings.isEmpty() && forgettings.peekFirst()[1] <= movedThrough) {
        forgettings.pollFirst();
      }
      return forgettings.isEmpty() ? Long.MAX_VALUE : forgettings.peekFirst()[0];
    }
  }

  /**
   * The flush of the rows numbered {@code firstSeq} to {@code lastSeq} failed: its spans are not remembered, so a
   * retry is taken. Repeats counted in it are counted again when the retry repeats them. Its rows may be stored even
   * so (on a full disk DuckDB kept the rows of an append whose commit it reported failed: {@code FullDiskIT}), so the
   * rows after them may repeat them, and the compactor looks for those repeats as for any the window forgot.
   */
  void failed(long firstSeq, long lastSeq) {
    pending.clear();
    if (lastSeq >= firstSeq) {
      forgottenThrough = Math.max(forgottenThrough, lastSeq);
      synchronized (forgettings) {
        forgettings.addLast(new long[] {firstSeq - 1, lastSeq});
      }
    }
  }

  /** Spans not stored because they were stored already, or came twice in one flush. */
  long skipped() {
    return skipped;
  }

  private void grow(int needed) {
    LongPairSet bigger = new LongPairSet(Math.max(needed, 2 * pending.capacity()));
    for (int n = 0; n < pending.size(); n++) {
      bigger.add(pending.firstOf(n), pending.secondOf(n));
    }
    pending = bigger;
  }

  /**
   * Spans per generation, a power of two, for a window of at most an eighth of {@code heapBytes}:
   * with a 384 MiB heap, 512k per generation (38 MiB in all), so at 100k spans/s a retry sent up
   * to 5-10 s after its original is still recognised here.
   */
  static int perGeneration(long heapBytes) {
    long spans = Math.max(1 << 12, Math.min(1 << 22, heapBytes / 8 / 2 / BYTES_PER_SPAN));
    return Integer.highestOneBit((int) spans);
  }

  boolean contains(long spanKey, long traceKey) {
    return current.contains(spanKey, traceKey) || previous.contains(spanKey, traceKey);
  }

  /** Remembers a committed span; {@code spanKey} is not 0 (see {@link #spanKey}). */
  private void add(long spanKey, long traceKey, long lastSeq) {
    if (current.full()) {
      forgottenThrough = Math.max(forgottenThrough, previousLastSeq);
      synchronized (forgettings) {
        // the rows of this flush were checked before it: the next flush's are the first checked without these
        forgettings.addLast(new long[] {lastSeq, forgottenThrough});
      }
      LongPairSet older = previous;
      previous = current;
      // a generation that filled during this flush may hold rows up to the flush's last one
      previousLastSeq = currentHoldsThisFlush ? lastSeq : currentLastSeq;
      older.clear();
      current = older;
      currentHoldsThisFlush = false;
    }
    current.add(spanKey, traceKey);
    currentHoldsThisFlush = true;
  }

  /**
   * The span id as a long, or 0 when the span id is not 16 hex digits or the trace id not 32:
   * such a span is never taken for a repeat. (OTLP forbids an all-zero span id.)
   */
  static long spanKey(String traceId, String spanId) {
    if (traceId == null || traceId.length() != 32 || !isHex(traceId) || spanId == null || spanId.length() != 16
        || !isHex(spanId)) {
      return 0;
    }
    return Long.parseUnsignedLong(spanId, 16);
  }

  /** The low 64 bits of the trace id; only for an id {@link #spanKey} accepted. */
  static long traceKey(String traceId) {
    return Long.parseUnsignedLong(traceId, 16, 32, 16);
  }

  private static boolean isHex(String id) {
    for (int i = 0; i < id.length(); i++) {
      if (Character.digit(id.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
