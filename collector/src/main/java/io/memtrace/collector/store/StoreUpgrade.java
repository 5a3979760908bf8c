package io.memtrace.collector.store;

import io.memtrace.collector.Log;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings a store written by an older collector up to the current tables when it is opened for
 * writing: the {@link PromotedAttributes} columns are added to {@code span_store} and
 * {@code span_ingest} and filled from each row's attributes, in one transaction, so a crash
 * leaves the old store or the upgraded one. It says so on stderr, with the number of spans, as it
 * takes a while on a large store (about 2 s per million spans here). A store opened read-only
 * ({@code query}, {@code report} with no server) is not changed: the view has no such columns and
 * the analyses read {@code attributes} instead (see {@link PromotedAttributes#inView}).
 */
final class StoreUpgrade {

  private StoreUpgrade() {
  }

  static void addPromotedColumns(Connection connection) throws SQLException {
    List<PromotedAttributes.Column> storeMissing = missing(connection, "span_store");
    List<PromotedAttributes.Column> ingestMissing = missing(connection, "span_ingest");
    if (storeMissing.isEmpty() && ingestMissing.isEmpty()) {
      return;
    }
    long spans = count(connection, "span_store") + count(connection, "span_ingest");
    Log.warn("upgrading a span store written by an older collector: adding typed columns for "
        + storeMissing.stream().map(PromotedAttributes.Column::key).collect(Collectors.joining(", "))
        + " to its " + spans + " spans (once; the analyses read them)");
    long started = System.nanoTime();
    Transaction.run(connection, () -> {
      try (Statement s = connection.createStatement()) {
        fill(s, "span_store", storeMissing, "attributes");
        // a row whose JSON text DuckDB cannot read gets nulls here; the compactor repairs or sets it aside
        fill(s, "span_ingest", ingestMissing, "try(attributes::JSON::VARIANT)");
      }
      return null;
    });
    Log.warn("span store upgraded in " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  /**
   * Adds the {@code links} column (see {@link Schema}) to a store written before links were kept: its spans have
   * none, so the column is added empty, which takes no time whatever the store's size. Then puts {@code span_ingest}'s
   * columns in the order the appender writes them, when a column added later stands elsewhere: the table is the short
   * tail of rows not yet moved, copied by name into a new one.
   */
  static void addLinks(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("ALTER TABLE span_store ADD COLUMN IF NOT EXISTS links JSON");
      s.execute("ALTER TABLE span_ingest ADD COLUMN IF NOT EXISTS links VARCHAR");
      if (!columns(connection, "span_quarantine").isEmpty()) {
        s.execute("ALTER TABLE span_quarantine ADD COLUMN IF NOT EXISTS links VARCHAR");
      }
      if (!orderedColumns(connection, "span_ingest").equals(List.of(Schema.INGEST_COLUMNS.split(", ")))) {
        Transaction.run(connection, () -> {
          s.execute("DROP TABLE IF EXISTS span_ingest_reordered");
          s.execute(Schema.ingestTable("span_ingest_reordered"));
          s.execute("INSERT INTO span_ingest_reordered BY NAME SELECT * FROM span_ingest");
          s.execute("DROP TABLE span_ingest");
          s.execute("ALTER TABLE span_ingest_reordered RENAME TO span_ingest");
          return null;
        });
      }
    }
  }

  private static List<String> orderedColumns(Connection connection, String table) throws SQLException {
    List<String> names = new java.util.ArrayList<>();
    try (Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' "
             + "AND table_name = '" + table + "' ORDER BY column_index")) {
      while (r.next()) {
        names.add(r.getString(1));
      }
    }
    return names;
  }

  private static void fill(Statement s, String table, List<PromotedAttributes.Column> columns, String attributes)
      throws SQLException {
    if (columns.isEmpty()) {
      return;
    }
    for (PromotedAttributes.Column c : columns) {
      s.execute("ALTER TABLE " + table + " ADD COLUMN " + c.name() + " " + c.type());
    }
    s.execute("UPDATE " + table + " SET " + columns.stream()
        .map(c -> c.name() + " = TRY_CAST((" + attributes + ")['" + c.key() + "'] AS " + c.type() + ")")
        .collect(Collectors.joining(", ")));
  }

  private static List<PromotedAttributes.Column> missing(Connection connection, String table) throws SQLException {
    Set<String> present = columns(connection, table);
    return PromotedAttributes.COLUMNS.stream().filter(c -> !present.contains(c.name())).toList();
  }

  private static Set<String> columns(Connection connection, String table) throws SQLException {
    return new HashSet<>(orderedColumns(connection, table));
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }
}
