package io.memtrace.collector.lineage;

/**
 * Which reads a lineage query answers for, and where their writers can be: SQL predicates over the
 * columns of {@code key_events} for the reads and for the writes, and over the columns of {@code spans}
 * for the spans that carry compressed counts. The answer for a read is the view's when the writes and
 * carriers in scope include every write of its key that ended, and every carrier that started, between
 * the first instant in scope and the read: the last write in scope is then the last write, and a carrier
 * that reaches past it is in scope. {@link TraceLineage} widens the first instant until that holds.
 *
 * @param reads which reads
 * @param writes which writes and deletes
 * @param carriers which spans with {@code memtrace_compressed_count}
 */
record Scope(String reads, String writes, String carriers, boolean noticed) {

  /** Every read, every write: the view itself. */
  static final Scope ALL = new Scope("true", "true", "true");

  /** A scope whose answers keyspace notifications may change ({@link NoticedChanges}). */
  Scope(String reads, String writes, String carriers) {
    this(reads, writes, carriers, true);
  }

  /**
   * This scope in a store that holds no keyspace notification: no notification can change a kept answer, so the
   * answers are the kept ones and {@link NoticedChanges}'s subqueries, which read the whole key-event table however
   * few the reads (165 of 260 ms for one trace's lineage at 4.3M spans), are left out.
   */
  Scope unnoticed() {
    return new Scope(reads, writes, carriers, false);
  }
}
