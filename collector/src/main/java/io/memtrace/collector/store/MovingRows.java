package io.memtrace.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The rows of {@code span_ingest} a move of the {@link Compactor} takes: every row up to a sequence number, but each
 * span once. Within the move's transaction.
 */
final class MovingRows {

  /** The rows a move skips ({@link #skippedSql}), within its transaction. */
  static final String SKIPPED = "compactor_skipped";
  /** Where a move takes rows from, unless it names another relation of the same columns. */
  private static final String INGEST = Schema.TAIL;

  private MovingRows() {
  }

  /** The earliest and latest start time, in epoch microseconds, of the rows to move; null when none has one. */
  static long[] startRange(Connection connection, long upTo) throws SQLException {
    return startRange(connection, INGEST, upTo);
  }

  /** {@link #startRange(Connection, long)} of the rows of {@code source}, a table with {@code span_ingest}'s columns. */
  static long[] startRange(Connection connection, String source, long upTo) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT epoch_us(min(start_time)), epoch_us(max(start_time)) FROM " + source + " WHERE seq <= ?")) {
      s.setLong(1, upTo);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        long first = r.getLong(1);
        return r.wasNull() ? null : new long[] {first, r.getLong(2)};
      }
    }
  }

  /**
   * The relation of the rows to move ({@link #skippedSql}), with the rows it skips found once, into a temporary
   * table: every table a move adds to reads the relation, and finding the repeats in each of them (a join on trace
   * and span id with {@code span_store}) cost about 1 us a span each time, for a set that is nearly always empty.
   */
  static String relation(Statement move, long upTo, long[] range, long repeatsAfter) throws SQLException {
    return relation(move, INGEST, upTo, range, repeatsAfter);
  }

  /** {@link #relation(Statement, long, long[], long)} over {@code source}, a table with {@code span_ingest}'s columns. */
  static String relation(Statement move, String source, long upTo, long[] range, long repeatsAfter) throws SQLException {
    move.execute("CREATE OR REPLACE TEMPORARY TABLE " + SKIPPED + " AS "
        + skippedSql(source, upTo, range[0], range[1], repeatsAfter));
    try (ResultSet r = move.executeQuery("SELECT count(*) FROM " + SKIPPED)) {
      r.next();
      return "(SELECT * FROM " + source + " i WHERE i.seq <= " + upTo
          + (r.getLong(1) == 0 ? "" : " AND i.seq NOT IN (SELECT seq FROM " + SKIPPED + ")") + ") AS i";
    }
  }

  /**
   * The {@code seq} of the rows up to {@code upTo} a move skips, so that it moves each span once: those
   * {@code span_store} or {@link KeyEventRows#TABLE} holds already, and, for the rows after {@code repeatsAfter}
   * (see {@link DedupWindow#repeatsAfter}; {@code Long.MAX_VALUE} for none), each copy in {@code span_ingest} after the first. The spans move, and what the
   * {@link KeptTables} derive from them is added, from the other rows, in one transaction, so a span not moved adds
   * nothing to them.
   * A retry repeats the start time, so looking in {@code span_store} only within the start times being moved
   * is exact, and its zone maps skip every other row group (the bounds are literals so that the planner sees
   * them): at 10M stored spans, 1 of 82 row groups is read. Looking for repeats within the moved rows costs
   * more than the move itself (a hash of every row: 13 s instead of 6 for 1M rows on a busy machine), which
   * is why it is done only for the rows the writer's window may have missed one for: after a burst left a
   * tail longer than the window, those are the newest of it, not all of it.
   */
  static String skippedSql(String source, long upTo, long firstStartMicros, long lastStartMicros, long repeatsAfter) {
    String starts = " BETWEEN make_timestamp(" + firstStartMicros + ") AND make_timestamp(" + lastStartMicros + ")";
    return "SELECT i.seq FROM " + source + " i WHERE i.seq <= " + upTo + " AND (EXISTS (SELECT 1 FROM span_store s "
        + "WHERE s.start_time" + starts + " AND s.trace_id = i.trace_id AND s.span_id = i.span_id) OR EXISTS (SELECT 1 "
        + "FROM " + KeyEventRows.TABLE + " s WHERE s.start_time" + starts + " AND s.trace_id = i.trace_id "
        + "AND s.span_id = i.span_id))"
        // a repeat is among the rows moved, and has the same start: both bounds keep the join to the rows moved,
        // where without them it read every row of the tail (millions, after moves that failed)
        + (repeatsAfter < upTo ? " UNION SELECT i.seq FROM " + source + " i WHERE i.seq <= " + upTo + " AND i.seq > "
            + repeatsAfter + " AND EXISTS (SELECT 1 FROM " + source + " j WHERE j.seq <= " + upTo + " AND j.start_time"
            + starts + " AND j.seq < i.seq AND j.trace_id = i.trace_id AND j.span_id = i.span_id)" : "");
  }
}
