package io.memtrace.collector.store;

import java.sql.SQLException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The writer's appenders for one transaction's spans: the wide rows into {@code span_ingest} (or the bulk load's
 * table), compact key events narrow into {@link KeyEventRows#INGEST_TABLE} (or {@link KeyEventRows#BULK_TABLE}). Each
 * is made at its first row, so a flush of key events alone never plans an insert of 42 columns.
 */
final class SpanAppenders implements AutoCloseable {

  private final DuckDBConnection connection;
  private final String catalog;
  private final String spansTable;
  private final String eventsTable;
  private DuckDBAppender spans;
  private DuckDBAppender events;

  private SpanAppenders(DuckDBConnection connection, String catalog, String spansTable, String eventsTable) {
    this.connection = connection;
    this.catalog = catalog;
    this.spansTable = spansTable;
    this.eventsTable = eventsTable;
  }

  /** Into {@code span_ingest} and {@link KeyEventRows#INGEST_TABLE}. */
  static SpanAppenders ingest(DuckDBConnection connection) {
    return new SpanAppenders(connection, null, "span_ingest", KeyEventRows.INGEST_TABLE);
  }

  /** Into the bulk load's temporary tables ({@link Schema#createBulk}). */
  static SpanAppenders bulk(DuckDBConnection connection) {
    return new SpanAppenders(connection, "temp", Schema.BULK_TABLE, KeyEventRows.BULK_TABLE);
  }

  /** Appends {@code r} (its promoted columns at {@code promoted[from...]}) to the table its kind goes to. */
  void append(long seq, SpanRow r, Object[] promoted, int from, long receivedMicros) throws SQLException {
    if (KeyEventRows.compact(r)) {
      if (events == null) {
        events = open(eventsTable);
      }
      RowAppender.appendKeyEvent(events, seq, r, promoted, from, receivedMicros);
    } else {
      if (spans == null) {
        spans = open(spansTable);
      }
      RowAppender.appendSpan(spans, seq, r, promoted, from, receivedMicros, false);
    }
  }

  private DuckDBAppender open(String table) throws SQLException {
    return catalog == null ? connection.createAppender("main", table) : connection.createAppender(catalog, "main", table);
  }

  /** Flushes what was appended ({@link Appenders#flush}): an error storing the rows is thrown here. */
  void flush() throws SQLException {
    if (spans != null) {
      Appenders.flush(spans);
    }
    if (events != null) {
      Appenders.flush(events);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      if (spans != null) {
        spans.close();
      }
    } finally {
      if (events != null) {
        events.close();
      }
    }
  }
}
