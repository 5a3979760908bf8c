package io.memtrace.collector.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: {@code serve}'s own database write of decoded spans, for {@link FloorWrite}'s serve ways, as
 * {@code SpanWriter} and the {@link Compactor} do it, without the log, the HTTP front and the duplicates window.
 */
final class ServeWrite {

  /** The writer's largest flush ({@code SpanWriter.MAX_ROWS_PER_FLUSH}), in requests of 512 spans. */
  private static final int REQUESTS_PER_FLUSH = 32;
  /** The next {@code seq}: each serve way's store takes every row once a round. */
  private static long nextSeq;

  private ServeWrite() {
  }

  /** {@link FloorWrite.Way#SERVE_USUAL}: the writer's flushes into span_ingest, then the compactor's move of them. */
  static void usual(DuckDBConnection connection, List<PreparedSpans> requests, List<KeptTables> kept)
      throws SQLException {
    for (int from = 0; from < requests.size(); from += REQUESTS_PER_FLUSH) {
      List<PreparedSpans> flush = requests.subList(from, Math.min(requests.size(), from + REQUESTS_PER_FLUSH));
      boolean values = flush.stream().anyMatch(p -> p.rows.stream().anyMatch(r -> !r.values().isEmpty()));
      if (values) {
        Transaction.run(connection, () -> append(connection, flush, "span_ingest", true));
      } else {
        append(connection, flush, "span_ingest", false);
      }
    }
    long committed = nextSeq - 1;
    try (Compactor compactor = new Compactor(connection.duplicate(), () -> committed, () -> false,
        moved -> Long.MAX_VALUE, kept)) {
      compactor.compactAll();
    }
  }

  /** {@link FloorWrite.Way#SERVE_BULK}: as {@code SpanWriter.loadBulk}, one transaction through the bulk table. */
  static void bulk(DuckDBConnection connection, List<PreparedSpans> requests, List<KeptTables> kept)
      throws SQLException {
    Transaction.run(connection, () -> {
      try (Statement s = connection.createStatement()) {
        s.execute(Schema.BULK); // also opens the transaction
      }
      append(connection, requests, Schema.BULK_TABLE, true);
      Compactor.insert(connection, kept, Schema.BULK_TABLE, Long.MAX_VALUE, Long.MAX_VALUE);
      try (Statement s = connection.createStatement()) {
        s.execute("DELETE FROM " + Schema.BULK_TABLE);
      }
      return null;
    });
  }

  /** For {@link BulkProfile}: the rows into the bulk table alone, within the caller's transaction. */
  static void appendOnly(DuckDBConnection connection, List<PreparedSpans> requests) throws SQLException {
    append(connection, requests, Schema.BULK_TABLE, true);
  }

  /** The rows into {@code table} as the writer appends them ({@code span_ingest}'s columns), and their values. */
  private static Void append(DuckDBConnection connection, List<PreparedSpans> rows, String table, boolean values)
      throws SQLException {
    int columns = PromotedAttributes.COLUMNS.size();
    long received = System.currentTimeMillis() * 1000;
    try (DuckDBAppender spans = table.equals(Schema.BULK_TABLE) ? connection.createAppender("temp", "main", table)
        : connection.createAppender("main", table)) {
      for (PreparedSpans p : rows) {
        for (int i = 0; i < p.size(); i++) {
          RowAppender.appendSpan(spans, nextSeq++, p.rows.get(i), p.promoted, i * columns, received);
        }
      }
    }
    if (values) {
      try (DuckDBAppender a = connection.createAppender("main", KeyValueTable.NAME)) {
        for (PreparedSpans p : rows) {
          for (SpanRow r : p.rows) {
            for (var v : r.values()) {
              KeyValueTable.append(a, v);
            }
          }
        }
      }
    }
    return null;
  }
}
