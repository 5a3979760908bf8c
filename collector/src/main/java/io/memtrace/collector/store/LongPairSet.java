package io.memtrace.collector.store;

/**
 * A set of pairs of longs with a fixed capacity, open addressing in one array, no boxing. The
 * first long of a pair is never 0, which marks a free slot. It remembers which slots it filled,
 * so {@link #clear} costs what was added, not the table's size.
 */
final class LongPairSet {

  private final long[] slots;
  private final int mask;
  private final int[] filled;
  private int size;

  /** Room for {@code capacity} pairs; the table is at most half full, which keeps probes short. */
  LongPairSet(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    int tableSize = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
    this.slots = new long[2 * tableSize];
    this.mask = tableSize - 1;
    this.filled = new int[capacity];
  }

  int size() {
    return size;
  }

  int capacity() {
    return filled.length;
  }

  boolean full() {
    return size == filled.length;
  }

  boolean contains(long a, long b) {
    for (int i = index(a, b); slots[2 * i] != 0; i = (i + 1) & mask) {
      if (slots[2 * i] == a && slots[2 * i + 1] == b) {
        return true;
      }
    }
    return false;
  }

  /** Adds the pair; false when it was there already. {@code a} must not be 0, and the set not {@link #full}. */
  boolean add(long a, long b) {
    if (a == 0) {
      throw new IllegalArgumentException("the first long of a pair must not be 0");
    }
    int i = index(a, b);
    for (; slots[2 * i] != 0; i = (i + 1) & mask) {
      if (slots[2 * i] == a && slots[2 * i + 1] == b) {
        return false;
      }
    }
    if (full()) {
      throw new IllegalStateException("the set holds its capacity of " + filled.length + " pairs");
    }
    slots[2 * i] = a;
    slots[2 * i + 1] = b;
    filled[size++] = i;
    return true;
  }

  /** The first long of the {@code n}-th pair added since the last {@link #clear}. */
  long firstOf(int n) {
    return slots[2 * filled[n]];
  }

  long secondOf(int n) {
    return slots[2 * filled[n] + 1];
  }

  void clear() {
    for (int n = 0; n < size; n++) {
      slots[2 * filled[n]] = 0;
      slots[2 * filled[n] + 1] = 0;
    }
    size = 0;
  }

  /** MurmurHash3's finaliser over both longs: test ids are often sequential, real ones random. */
  private int index(long a, long b) {
    long h = a * 0x9E3779B97F4A7C15L ^ b;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h & mask;
  }
}
