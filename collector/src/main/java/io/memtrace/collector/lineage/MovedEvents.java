package io.memtrace.collector.lineage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The statements a move of the {@code Compactor} runs to keep the key events of the spans it moves, each read with
 * its writer and each write with its predecessor ({@link Writers}), as a join of the whole store would answer them.
 *
 * <p>What they cost was most of a move: about 7 us of the process's CPU a span of 12-13 (2026-11-26), of which a
 * {@code row_number()} over the batch's events, only to name them for the join back to their answers, took 1.7 us,
 * and a temporary copy of every event with all its columns spilled within DuckDB's share of the budget. So:
 * <ul>
 *   <li>the events are derived from the spans once, straight into {@code key_event_store}, their answers empty;
 *       each is then named by its row, and the statements that answer them read a few narrow columns of the rows
 *       just written ({@link #newRows}), where deriving the events a second time read the wide spans again; the
 *       answers are set on the new rows by row id, where a join of every event to its answer was part of the insert
 *       (2026-11-27, docs/performance.md);</li>
 *   <li>the batch is folded once per place ({@link #PLACES}): that fold is the rows {@code key_place_state} gets,
 *       and the one join with {@code key_place_state} ({@link #STORED}) tells both rare cases ({@link #LATE}) for
 *       every place of the batch at once, instead of a join of every new event with it.</li>
 * </ul>
 *
 * <p>{@code key_place_state} is only appended to, one row per place and move that touched it: every question asked
 * of it holds over a place's rows as over their fold (whether some row's write ended after a time, or some row's
 * read began after it; which of the writes, every one of them stored, is the last before a time). An update of the
 * places' rows in place cost 17 of a small move's 65 us a span.
 */
final class MovedEvents {

  /** Per place of the batch: its first ask, its first write's end, its last write and its last read. */
  static final String PLACES = "lineage_places";
  /** The rows of {@code key_place_state} of the batch's places, each with the place's first ask and write. */
  static final String STORED = "lineage_stored";
  /**
   * The batch's places whose stored history plays a part: a new event asks before a stored write ended (its span
   * came late), or, from {@code since} on, stored events ask after a new write ended (the write's span came late).
   */
  static final String LATE = "lineage_late";
  /** Each event's answer by its row ({@code rid}): a new event's, and a stored one's that a late write changes. */
  static final String ANSWERS = "lineage_answers";

  /**
   * The rows the move added after row {@code stored}, each with its row id ({@code ev}): read where they are needed,
   * a few narrow columns, rather than copied (a temporary copy of the reads and writes cost 0.2-0.3 us a span).
   */
  private static String newRows(long stored) {
    return "(SELECT rowid AS ev, * FROM " + KeyEventStore.EVENTS + " WHERE rowid > " + stored + ")";
  }

  private static final String WRITER = "{'end_time': end_time, 'access': access, 'ttl': ttl, 'ref': ref}";

  private MovedEvents() {
  }

  /**
   * Adds the events of {@code events} (a relation of key events) to {@code key_event_store}, with their answers,
   * mends the stored events a late write among them answers again, and appends the batch's places to
   * {@code key_place_state}. Within the caller's transaction.
   */
  static void add(Statement s, String events) throws SQLException {
    long stored;
    try (ResultSet last = s.executeQuery("SELECT coalesce(max(rowid), -1) FROM " + KeyEventStore.EVENTS)) {
      last.next();
      stored = last.getLong(1);
    }
    for (String statement : statements(events, stored)) {
      s.execute(statement);
    }
  }

  /**
   * The statements of {@link #add}, in order, when the rows of {@code key_event_store} before the move end at row
   * {@code stored} (-1 for none): the new rows come after it, those a transaction appends above any stored one
   * (also what the rules' fingerprint covers, with a fixed {@code stored}).
   */
  static String[] statements(String events, long stored) {
    String write = "CASE WHEN " + Writers.WRITE + " THEN ";
    String temp = "CREATE OR REPLACE TEMPORARY TABLE ";
    String samePlace = " ON e.place_a = p.place_a AND e.place_b = p.place_b";
    String[] set = Writers.COLUMNS.split(", ");
    StringBuilder update = new StringBuilder();
    for (String column : set) {
      update.append(update.length() == 0 ? "" : ", ").append(column).append(" = a.").append(column);
    }
    return new String[] {
        "INSERT INTO " + KeyEventStore.EVENTS + " SELECT " + KeyEventStore.EVENT_COLUMNS + ", "
            + "NULL::VARCHAR, NULL::TIMESTAMP, NULL::BIGINT, NULL::UBIGINT, " + KeyEventStore.KEY_TAIL + " FROM (" + events
            + ")",
        temp + PLACES + " AS SELECT place_a, place_b, min(t) AS first_ask, min(end_time) FILTER (WHERE is_write) "
            + "AS first_write_end, arg_max(" + WRITER + ", end_time) FILTER (WHERE is_write) AS w, "
            + "max(time) FILTER (WHERE NOT is_write) AS last_read FROM (SELECT place_a, place_b, " + Writers.ASKS_AT
            + " AS t, " + Writers.WRITE + " AS is_write, time, end_time, access, ttl, " + write + Writers.REF
            + " END AS ref FROM " + newRows(stored) + " WHERE " + Writers.READ_OR_WRITE + ") GROUP BY ALL",
        temp + STORED + " AS SELECT e.*, p.first_ask, p.first_write_end FROM " + Writers.STATE + " AS e JOIN "
            + PLACES + " AS p" + samePlace,
        // the first new write of a place is the earliest a stored event can ask after: if none asks after it, none
        // asks after a later one
        temp + LATE + " AS SELECT place_a, place_b, min(first_write_end) FILTER (WHERE last_read >= first_write_end "
            + "OR write_end > first_write_end) AS since FROM " + STORED + " GROUP BY ALL "
            + "HAVING bool_or(write_end > first_ask) OR bool_or(last_read >= first_write_end OR write_end > first_write_end)",
        temp + ANSWERS + " AS " + answers(stored),
        "UPDATE " + KeyEventStore.EVENTS + " AS e SET " + update + " FROM " + ANSWERS + " AS a WHERE e.rowid = a.rid",
        "INSERT INTO " + Writers.STATE + " SELECT place_a, place_b, w.access, w.end_time, w.ttl, w.ref, last_read "
            + "FROM " + PLACES,
        "DROP TABLE " + ANSWERS, "DROP TABLE " + LATE, "DROP TABLE " + STORED, "DROP TABLE " + PLACES};
  }

  /**
   * The new events' answers, and the stored events' a late write changes (rows up to {@code stored}): the last write
   * or delete of the place before each asks, among the batch's writes, the writes {@code key_place_state} holds for
   * the batch's places, and, for a place of {@link #LATE}, every stored write. Only new events with an answer, and
   * the stored ones, are kept.
   */
  private static String answers(long stored) {
    String old = "rowid <= " + stored;
    String storedEvents = "SELECT rowid AS rid, " + Writers.ASKS_AT + " AS t, * FROM " + KeyEventStore.EVENTS + " WHERE "
        + old + " AND ((" + Writers.READ + ") OR (" + Writers.WRITE + "))";
    String payload = "access, ttl, ";
    return "WITH mend AS (SELECT e.rid, true AS mended, e.t, e.place_a, e.place_b FROM (" + storedEvents + ") AS e "
        + "JOIN " + LATE + " AS p ON e.place_a = p.place_a AND e.place_b = p.place_b AND e.t >= p.since), "
        + "asked AS (SELECT ev AS rid, false AS mended, " + Writers.ASKS_AT + " AS t, place_a, place_b FROM "
        + newRows(stored) + " WHERE " + Writers.READ_OR_WRITE + " UNION ALL "
        + "SELECT * FROM mend), "
        + "candidates AS (SELECT place_a, place_b, end_time, " + payload + Writers.REF + " AS ref FROM " + newRows(stored)
        + " WHERE " + Writers.WRITE + " "
        + "UNION ALL SELECT place_a, place_b, write_end, write_access, write_ttl, write_ref "
        + "FROM " + STORED + " WHERE write_end IS NOT NULL "
        + "UNION ALL SELECT place_a, place_b, end_time, " + payload + Writers.REF + " FROM " + KeyEventStore.EVENTS + " AS e "
        + "SEMI JOIN " + LATE + " AS p ON e.place_a = p.place_a AND e.place_b = p.place_b WHERE e." + old + " AND "
        + Writers.WRITE + ") "
        + "SELECT a.rid, c.access AS write_access, c.end_time AS write_end, c.ttl AS write_ttl, c.ref AS write_ref "
        + "FROM asked AS a ASOF LEFT JOIN candidates AS c "
        + "ON a.place_a = c.place_a AND a.place_b = c.place_b AND a.t >= c.end_time "
        // in the rows' order: set in any other, the first move into an empty table took 11-16 us a span to update
        // its new rows (0.2-0.3 in order, and a sort of the narrow answers 0.03)
        + "WHERE a.mended OR c.end_time IS NOT NULL ORDER BY a.rid";
  }
}
