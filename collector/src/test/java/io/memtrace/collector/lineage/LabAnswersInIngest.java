package io.memtrace.collector.lineage;

import io.memtrace.collector.store.KeptTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Not a test, and not a design kept: a lab of issue 50's last idea for keeping key events under 3 us a span, that
 * each event's answer (its writer, or its predecessor) arrives in {@code span_ingest} as columns filled when its span
 * was decoded, so that a move writes the rows without the copy of its reads and writes, the {@code ASOF JOIN} and the
 * join back ({@link MovedEvents}). Here the answers are not computed in Java: {@link #fill} computes them with the
 * store's own SQL before a move, outside what is timed, and puts them beside the spans, as a decoder's map would
 * have; {@link #add} is then what a move of that design would run at most: the events with their answers inserted as
 * they are derived, the places folded from the new rows for {@code key_place_state}, and the SQL path
 * ({@link MovedEvents}) over the spans whose answer the map did not know ({@code lab_known} false: none here), which
 * costs its scans even when empty. Used by {@code LabMoveCost}; see docs/performance.md (2026-11-28).
 */
public final class LabAnswersInIngest implements KeptTables {

  /** The columns a decoder's map would add to {@code span_ingest}: the answer and whether the map knew it. */
  public static final String COLUMNS_DDL = "lab_w_access VARCHAR, lab_w_end TIMESTAMP, lab_w_ttl BIGINT, "
      + "lab_w_ref UBIGINT, lab_known BOOLEAN";

  private static final String PASSED = "lab_w_access, lab_w_end, lab_w_ttl, lab_w_ref, lab_known";

  private final KeyEventTables tables = new KeyEventTables();

  @Override
  public void prepareForWriting(Connection connection) throws SQLException {
    tables.prepareForWriting(connection);
  }

  @Override
  public void prepareForReading(Connection connection) throws SQLException {
    tables.prepareForReading(connection);
  }

  /**
   * Moves {@code stage}'s spans (a table of {@code span_ingest}'s definition without the lab columns) into
   * {@code span_ingest} with the answers the store's SQL gives their events now: what a decoder's map of the places'
   * last writes would have found for spans that arrive in order.
   */
  public static void fill(Connection connection, String stage) throws SQLException {
    String events = "(" + LineageViews.keyEvents(stage, "seq") + ")";
    String answers = Writers.answer(events, "true", "");
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE OR REPLACE TEMPORARY TABLE lab_answers AS SELECT ev // 2 AS seq, any_value(write_access) AS a, "
          + "any_value(write_end) AS e, any_value(write_ttl) AS t, any_value(write_ref) AS r FROM (" + answers
          + ") WHERE rid IS NULL GROUP BY ALL");
      s.execute("INSERT INTO span_ingest SELECT s.*, a.a, a.e, a.t, a.r, true FROM " + stage
          + " AS s LEFT JOIN lab_answers AS a ON a.seq = s.seq ORDER BY s.seq");
      s.execute("DELETE FROM " + stage);
      s.execute("DROP TABLE lab_answers");
    }
  }

  @Override
  public void add(Statement s, String moving) throws SQLException {
    long before;
    try (ResultSet r = s.executeQuery("SELECT coalesce(max(rowid), -1) FROM " + KeyEventStore.EVENTS)) {
      r.next();
      before = r.getLong(1);
    }
    String known = "(SELECT * FROM " + moving + " WHERE lab_known)";
    String events = LineageViews.keyEvents(known, "seq").replace(" AS ev ", " AS ev, " + PASSED + " ");
    s.execute("INSERT INTO " + KeyEventStore.EVENTS + " SELECT " + KeyEventStore.EVENT_COLUMNS
        + ", lab_w_access, lab_w_end, lab_w_ttl, lab_w_ref, " + KeyEventStore.keyTail("key") + " FROM (" + events + ")");
    String writer = "{'end_time': end_time, 'access': access, 'ttl': ttl, 'ref': " + Writers.REF + "}";
    s.execute("INSERT INTO " + Writers.STATE + " SELECT place_a, place_b, w.access, w.end_time, w.ttl, w.ref, last_read "
        + "FROM (SELECT place_a, place_b, arg_max(" + writer + ", end_time) FILTER (WHERE " + Writers.WRITE + ") AS w, "
        + "max(time) FILTER (WHERE access = 'read') AS last_read FROM " + KeyEventStore.EVENTS + " WHERE rowid > " + before
        + " AND (" + Writers.READ_OR_WRITE + ") GROUP BY ALL)");
    MovedEvents.add(s, LineageViews.keyEvents("(SELECT * FROM " + moving + " WHERE NOT lab_known)", "seq"));
    s.executeUpdate(KeyEventStore.insertCompressed(moving));
  }
}
