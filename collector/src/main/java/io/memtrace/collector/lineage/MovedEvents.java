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
 *   <li>each event is named by the {@code seq} of its span ({@link LineageViews#keyEvents(String, String)}), and
 *       only the reads and writes, with the columns an answer needs, are copied ({@link #ASKING}); the events are
 *       derived a second time, straight into {@code key_event_store}, each joined to its answer;</li>
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

  /** The batch's reads and writes: the event's name ({@code ev}), when it asks, its place; a write's columns. */
  static final String ASKING = "lineage_asking";
  /** Per place of the batch: its first ask, its first write's end, its last write and its last read. */
  static final String PLACES = "lineage_places";
  /** The rows of {@code key_place_state} of the batch's places, each with the place's first ask and write. */
  static final String STORED = "lineage_stored";
  /**
   * The batch's places whose stored history plays a part: a new event asks before a stored write ended (its span
   * came late), or, from {@code since} on, stored events ask after a new write ended (the write's span came late).
   */
  static final String LATE = "lineage_late";
  /** Each new event's answer ({@code ev}), and each stored event's new one ({@code rid}, its row). */
  static final String ANSWERS = "lineage_answers";

  /** The rows of {@code key_event_store} at the places of {@link #LATE}, by row id. */
  static final String LATE_ROWS = "lineage_late_rows";

  private static final String CREATE_ANSWERS = "CREATE OR REPLACE TEMPORARY TABLE " + ANSWERS + " AS ";

  /** Which stored events the answers read: all (as the rules name it), those of {@link #LATE_ROWS}, or none. */
  private enum Stored { ALL, LATE_ROWS, NONE }

  private static final String WRITER = "{'end_time': end_time, 'access': access, 'ttl': ttl, 'ref': ref}";

  private MovedEvents() {
  }

  /**
   * Adds the events of {@code events} (a relation of key events with {@code ev}) to {@code key_event_store}, with
   * their answers, mends the stored events a late write among them answers again, and appends the batch's places to
   * {@code key_place_state}. Within the caller's transaction.
   */
  static void add(Statement s, String events) throws SQLException {
    String answers = CREATE_ANSWERS + answers(Stored.ALL);
    for (String statement : statements(events)) {
      if (statement.equals(answers)) {
        answer(s);
      } else {
        s.execute(statement);
      }
    }
  }

  /**
   * The answers statement of {@link #statements}, reading only the stored events of the late places: a scan of their
   * place columns finds their rows first ({@link #LATE_ROWS}), and only those are read whole. The same rows as
   * {@link Stored#ALL}, whose scan of every stored event grew with the store (2.4 us a span at 1.7M stored spans, 0.5
   * at 123k); the rules' fingerprint names that statement, so a store's key events need no rebuild.
   */
  private static void answer(Statement s) throws SQLException {
    s.execute("CREATE OR REPLACE TEMPORARY TABLE " + LATE_ROWS + " AS SELECT e.rowid AS rid FROM " + KeyEventStore.EVENTS
        + " AS e SEMI JOIN " + LATE + " AS p ON e.place_a = p.place_a AND e.place_b = p.place_b");
    boolean any;
    try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + LATE_ROWS)) {
      r.next();
      any = r.getLong(1) > 0;
    }
    s.execute(CREATE_ANSWERS + answers(any ? Stored.LATE_ROWS : Stored.NONE));
    s.execute("DROP TABLE " + LATE_ROWS);
  }

  /** The statements of {@link #add}, in order (also what the rules' fingerprint covers). */
  static String[] statements(String events) {
    String write = "CASE WHEN is_write THEN ";
    String temp = "CREATE OR REPLACE TEMPORARY TABLE ";
    String samePlace = " ON e.place_a = p.place_a AND e.place_b = p.place_b";
    String[] set = Writers.COLUMNS.split(", ");
    StringBuilder update = new StringBuilder();
    for (String column : set) {
      update.append(update.length() == 0 ? "" : ", ").append(column).append(" = a.").append(column);
    }
    return new String[] {
        temp + ASKING + " AS SELECT ev, " + Writers.ASKS_AT + " AS t, place_a, place_b, is_read, is_write, time, "
            + "end_time, " + write + "access END AS access, "
            + write + "ttl END AS ttl, " + write + Writers.REF + " END AS ref FROM (SELECT *, " + Writers.READ + " AS is_read, " + Writers.WRITE
            + " AS is_write FROM (" + events + ")) WHERE is_read OR is_write",
        temp + PLACES + " AS SELECT place_a, place_b, min(t) AS first_ask, min(end_time) FILTER (WHERE is_write) "
            + "AS first_write_end, arg_max(" + WRITER + ", end_time) FILTER (WHERE is_write) AS w, "
            + "max(time) FILTER (WHERE is_read) AS last_read FROM " + ASKING + " GROUP BY ALL",
        temp + STORED + " AS SELECT e.*, p.first_ask, p.first_write_end FROM " + Writers.STATE + " AS e JOIN "
            + PLACES + " AS p" + samePlace,
        // the first new write of a place is the earliest a stored event can ask after: if none asks after it, none
        // asks after a later one
        temp + LATE + " AS SELECT place_a, place_b, min(first_write_end) FILTER (WHERE last_read >= first_write_end "
            + "OR write_end > first_write_end) AS since FROM " + STORED + " GROUP BY ALL "
            + "HAVING bool_or(write_end > first_ask) OR bool_or(last_read >= first_write_end OR write_end > first_write_end)",
        CREATE_ANSWERS + answers(Stored.ALL),
        "UPDATE " + KeyEventStore.EVENTS + " AS e SET " + update + " FROM " + ANSWERS + " AS a "
            + "WHERE a.rid IS NOT NULL AND e.rowid = a.rid",
        // two filters that hold for every answer of a new event but that the planner cannot judge put its estimate
        // of the answers below that of the events, so it builds the join's hash table from the answers (8 columns)
        // rather than from the events (21 columns, about a million): 2.7 us a span against 3.7 in a lab move
        "INSERT INTO " + KeyEventStore.EVENTS + " SELECT e." + KeyEventStore.EVENT_COLUMNS.replace(", ", ", e.")
            + ", a." + Writers.COLUMNS.replace(", ", ", a.") + ", " + KeyEventStore.keyTail("e.key") + " FROM (" + events
            + ") AS e "
            + "LEFT JOIN (SELECT * FROM " + ANSWERS + " WHERE rid IS NULL AND hash(ev) IS NOT NULL "
            + "AND length(write_access) > 0) AS a ON a.ev = e.ev",
        "INSERT INTO " + Writers.STATE + " SELECT place_a, place_b, w.access, w.end_time, w.ttl, w.ref, last_read "
            + "FROM " + PLACES,
        "DROP TABLE " + ANSWERS, "DROP TABLE " + LATE, "DROP TABLE " + STORED, "DROP TABLE " + PLACES,
        "DROP TABLE " + ASKING};
  }

  /**
   * The new events' answers, and the stored events' a late write changes: the last write or delete of the place
   * before each asks, among the batch's writes, the writes {@code key_place_state} holds for the batch's places,
   * and, for a place of {@link #LATE}, every stored write. Only events with an answer, and the stored ones, are kept.
   * {@code from}: the stored events read, all of them, only {@link #LATE_ROWS} (the same answers: only events at the
   * places of {@link #LATE} are joined), or none (when those are none).
   */
  private static String answers(Stored from) {
    boolean late = from != Stored.NONE;
    String only = from == Stored.LATE_ROWS ? "rowid IN (SELECT rid FROM " + LATE_ROWS + ") AND " : "";
    String asking = "(" + Writers.READ + ") OR (" + Writers.WRITE + ")";
    String stored = "SELECT rowid AS rid, " + Writers.ASKS_AT + " AS t, * FROM " + KeyEventStore.EVENTS + " WHERE "
        + (only.isEmpty() ? asking : only + "(" + asking + ")");
    String payload = "access, ttl, ";
    return "WITH " + (late ? "mend AS (SELECT e.rid, NULL::BIGINT AS ev, e.t, e.place_a, e.place_b FROM (" + stored
        + ") AS e JOIN " + LATE + " AS p ON e.place_a = p.place_a AND e.place_b = p.place_b AND e.t >= p.since), " : "")
        + "asked AS (SELECT NULL::BIGINT AS rid, ev, t, place_a, place_b FROM " + ASKING
        + (late ? " UNION ALL SELECT * FROM mend" : "") + "), "
        + "candidates AS (SELECT place_a, place_b, end_time, " + payload + "ref FROM " + ASKING + " WHERE is_write "
        + "UNION ALL SELECT place_a, place_b, write_end, write_access, write_ttl, write_ref "
        + "FROM " + STORED + " WHERE write_end IS NOT NULL"
        + (late ? " UNION ALL SELECT place_a, place_b, end_time, " + payload + Writers.REF + " FROM " + KeyEventStore.EVENTS
        + " AS e SEMI JOIN " + LATE + " AS p ON e.place_a = p.place_a AND e.place_b = p.place_b WHERE "
        + only.replace("rowid", "e.rowid") + Writers.WRITE : "") + ") "
        + "SELECT a.rid, a.ev, c.access AS write_access, c.end_time AS write_end, c.ttl AS write_ttl, c.ref AS write_ref "
        + "FROM asked AS a ASOF LEFT JOIN candidates AS c "
        + "ON a.place_a = c.place_a AND a.place_b = c.place_b AND a.t >= c.end_time "
        + "WHERE a.rid IS NOT NULL OR c.end_time IS NOT NULL";
  }
}
