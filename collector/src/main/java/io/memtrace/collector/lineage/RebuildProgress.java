package io.memtrace.collector.lineage;

import io.memtrace.collector.Log;

/**
 * What a build of the key events of a stored store says while it runs ({@link KeyEventStore#prepare}): a line about
 * every tenth of the spans (at most one per slice), with the spans done of the total, the time taken and an estimate
 * of the time left from the pace so far. At 10M spans the build takes minutes, and a {@code serve} that says nothing
 * meanwhile looks hung.
 */
final class RebuildProgress {

  private final long total;
  private final long started;
  private long nextAt;

  /** {@code total}: the spans (rows of {@code span_store}) to go through; {@code started}: {@link System#nanoTime}. */
  RebuildProgress(long total, long started) {
    this.total = total;
    this.started = started;
    this.nextAt = tenth();
  }

  /** {@code done} spans of the total are built: says so when another tenth is done, or at the end. */
  void done(long done) {
    if (done < nextAt && done < total) {
      return;
    }
    nextAt = done + tenth();
    Log.warn(line(done, System.nanoTime() - started));
  }

  /** The line for {@code done} spans after {@code elapsedNanos}. */
  String line(long done, long elapsedNanos) {
    long elapsed = elapsedNanos / 1_000_000_000L;
    String line = "key events: " + done + " of " + total + " spans (" + (total == 0 ? 100 : done * 100 / total)
        + " %), " + elapsed + " s";
    if (done >= total || done == 0) {
      return line;
    }
    return line + ", about " + Math.round(elapsedNanos / 1e9 * (total - done) / done) + " s left";
  }

  private long tenth() {
    return Math.max(1, total / 10);
  }
}
