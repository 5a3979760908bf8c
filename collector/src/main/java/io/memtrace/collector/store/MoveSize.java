package io.memtrace.collector.store;

/**
 * How many rows the {@link Compactor}'s next move may take, in whole row groups: at most {@code max}; halved, down
 * to one row group, after a move DuckDB's memory share could not hold; doubled back after each move that fit. So a
 * store whose moves outgrow the memory budget goes on moving, in smaller transactions, instead of failing the same
 * move at every round.
 */
final class MoveSize {

  private final long max;
  private final long min;
  private long rows;

  /** {@code max} and {@code min} whole row groups of {@code min} rows each. */
  MoveSize(long max, long min) {
    if (min <= 0 || max < min || max % min != 0) {
      throw new IllegalArgumentException("a move is whole row groups of " + min + " rows, at most " + max);
    }
    this.max = max;
    this.min = min;
    this.rows = max;
  }

  long rows() {
    return rows;
  }

  /**
   * The most rows a move may take when they are all that is left: an eighth more than {@link #rows}, one row group at
   * the most. A move has a cost of its own, whatever its size (the key tables' joins read their whole stored
   * tables): the last 17,408 spans of a million, moved on their own, cost 56 us a span against 18 for the 983,040
   * before them.
   */
  long withRemainder() {
    return rows + Math.min(rows / 8, min);
  }

  /** Whether the next move is as small as a move gets: one that fails then has nothing smaller to try. */
  boolean smallest() {
    return rows == min;
  }

  void fitted() {
    rows = Math.min(max, rows * 2);
  }

  void outOfMemory() {
    rows = Math.max(min, rows / 2 / min * min);
  }
}
