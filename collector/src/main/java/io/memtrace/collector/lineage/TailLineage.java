package io.memtrace.collector.lineage;

import io.memtrace.collector.store.Schema;

/**
 * The {@code lineage} view's rows for a few reads whose keys the {@code span_ingest} tail names, without planning the
 * kept view's answering of the whole tail ({@link LineageViews#kept}, about 16 KB of SQL: 270 to 278 ms for a model
 * call at 10M spans where {@link StoredLineage} takes 60). Only the tail's events of the keys asked are derived, and
 * each read's writer is the later of two:
 * <ul>
 *   <li>its base: for a stored read, the writer kept in its row (the last stored write of its place before it); for a
 *       read of the tail, the last write {@code key_place_state} keeps for its place, when no stored write of the
 *       place ended after the read began;</li>
 *   <li>the last write of the tail of its place that ended before it began.</li>
 * </ul>
 * That is the last write of the place before the read in the whole store, as the view answers it ({@link Writers}:
 * a late write of the tail answers a stored read again), up to a tie between two writes that ended at the same
 * instant. A read of the tail before a stored write of its place (its span came late) needs the place's stored
 * history: the query marks it ({@code needs_history}), and the question goes the view's way.
 */
final class TailLineage {

  private TailLineage() {
  }

  /**
   * The view's columns and {@code needs_history} for the reads {@code scope} selects, whose keys are all among
   * {@code keyList} (SQL literals); the carriers {@code scope} selects are the compressed counts looked at.
   */
  static String of(Scope scope, String keyList) {
    String tail = "SELECT " + KeyEventStore.EVENT_COLUMNS + " FROM (" + LineageViews.keyEvents(Schema.TAIL)
        + ") WHERE key IN (" + keyList + ")";
    String write = "place_a, place_b, end_time, access, ttl, " + Writers.REF + " AS ref";
    String base = "b_access, b_end, b_ttl, b_ref";
    String stored = "SELECT " + KeyEventStore.EVENT_COLUMNS + ", " + Writers.COLUMNS + ", false AS history FROM "
        + KeyEventStore.EVENTS + " WHERE (" + Writers.READ + ") AND (" + scope.reads() + ")";
    String inTail = "SELECT t.*, s.write_access, s.write_end, s.write_ttl, s.write_ref, "
        + "coalesce(l.last_end > t.time, false) AS history FROM tail_reads AS t "
        + "ASOF LEFT JOIN (SELECT * FROM state WHERE write_end IS NOT NULL) AS s "
        + "ON t.place_a = s.place_a AND t.place_b = s.place_b AND t.time >= s.write_end "
        + "LEFT JOIN (SELECT place_a, place_b, max(write_end) AS last_end FROM state_ends GROUP BY ALL) AS l "
        + "ON t.place_a = l.place_a AND t.place_b = l.place_b";
    String ctes = "tail AS MATERIALIZED (" + tail + "), "
        + "tail_writes AS MATERIALIZED (SELECT " + write + " FROM tail WHERE " + Writers.WRITE + "), "
        + "tail_reads AS MATERIALIZED (SELECT * FROM tail WHERE (" + Writers.READ + ") AND (" + scope.reads() + ")), "
        // the places' rows of the state found on three columns, then read whole by row id: a join that carried
        // every column read all of them for each of the 2.6M rows at 10M spans (55 ms against 10)
        + "state_ends AS MATERIALIZED (SELECT s.rowid AS rid, s.place_a, s.place_b, s.write_end FROM " + Writers.STATE
        + " AS s SEMI JOIN tail_reads AS t ON s.place_a = t.place_a AND s.place_b = t.place_b), "
        + "state AS MATERIALIZED (SELECT * FROM " + Writers.STATE + " WHERE rowid IN (SELECT rid FROM state_ends "
        + "WHERE write_end IS NOT NULL)), "
        + "based AS MATERIALIZED (SELECT * RENAME (write_access AS b_access, write_end AS b_end, write_ttl AS b_ttl, "
        + "write_ref AS b_ref) "
        + "FROM (" + stored + " UNION ALL " + inTail + ")), ";
    // the tail's write when it ended after the base (or there is none); else the base
    String later = "w.end_time > coalesce(b.b_end, '-infinity'::TIMESTAMP)";
    StringBuilder chosen = new StringBuilder();
    String[] names = {"access", "end", "ttl", "ref"};
    String[] tailNames = {"access", "end_time", "ttl", "ref"};
    for (int i = 0; i < names.length; i++) {
      chosen.append(", CASE WHEN ").append(later).append(" THEN w.").append(tailNames[i]).append(" ELSE b.b_")
          .append(names[i]).append(" END AS w_").append(names[i]);
    }
    String reads = "SELECT b.* EXCLUDE (" + base + ")" + chosen + " FROM based AS b ASOF LEFT JOIN tail_writes AS w "
        + "ON b.place_a = w.place_a AND b.place_b = w.place_b AND b.time >= w.end_time";
    return StoredLineage.withCompressed(ctes, reads, scope,
        ", (SELECT coalesce(bool_or(history), false) FROM r) AS needs_history", true, "tail");
  }
}
