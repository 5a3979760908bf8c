package io.memtrace.collector.lineage;

import io.memtrace.collector.query.SqlSource;

/**
 * The {@code lineage} view's rows for the reads that may have found a value older than the TTL its writer set (TTL
 * truth's stale reads): at least every read whose writer was seen, set a TTL, and wrote more than that TTL before
 * the read, and that did not find nothing; the caller filters exactly.
 *
 * <p>Through the view, a query of those reads read the keys and trace ids of every read of the layer before keeping
 * the few (DuckDB pushes no filter of two columns into a scan): 1.5-2 s of CPU for the 3.9M Redis reads of a 10M-span
 * store. When the store keeps its key events and the {@code span_ingest} tail is empty, every read is a stored row
 * with its answer ({@link StoredLineage}), so the candidates are picked by row id from a scan of the answers' narrow
 * columns, and only their rows are read. With a tail, or events not kept, the view answers as before.
 */
public final class PastTtlReads {

  private PastTtlReads() {
  }

  /**
   * A relation with the {@code lineage} view's columns for the candidate reads of {@code layer} ({@code memory} or
   * {@code redis}) that began where {@code since} holds ({@code AND …} over {@code start_time}, or empty).
   */
  public static String of(SqlSource source, String layer, String since) {
    if (!LineageViews.storedOnly(source)) {
      return "(SELECT * FROM " + LineageViews.relation(source) + " WHERE read_layer = '" + layer + "'"
          + since.replace("start_time", "read_time") + ")";
    }
    String picked = "picked AS MATERIALIZED (SELECT rowid AS rid FROM " + KeyEventStore.EVENTS + " WHERE layer = '"
        + layer + "' AND " + Writers.READ + " AND write_ttl > 0 AND coalesce(found, true) "
        + "AND (epoch_us(time) - epoch_us(write_end)) / 1000.0 > write_ttl * 1000" + since.replace("start_time", "time") + "), ";
    // TTL truth and health read the writer's TTL, end and access, not its names
    String reads = Writers.unnamed("(SELECT " + KeyEventStore.EVENT_COLUMNS + ", " + Writers.ALIASES + " FROM "
        + KeyEventStore.EVENTS + " WHERE rowid IN (SELECT rid FROM picked))");
    if (layer.equals("memory")) {
      // the view's memory branch: a memory read is never compressed, nor changed by a Redis command (the general
      // columns still planned and ran those lookups for no row: a scan of every stored span for the whole-database
      // commands and of every Redis event for the TTL changes, 1.6 s of CPU of the report at 10M spans)
      return "(WITH " + picked + "r AS MATERIALIZED (" + reads + ") "
          + LineageViews.columns("(SELECT *, false AS compressed FROM r)", "memory", true) + ")";
    }
    return "(" + StoredLineage.withCompressed(picked, reads, LineageViews.all(source), "", false, null) + ")";
  }
}
