package io.memtrace.collector.store;

import io.memtrace.collector.Log;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows whose JSON text DuckDB cannot read. Collectors before the text rule of ingest stored
 * escaped lone surrogates; one such row made every move to {@code span_store} fail (the move is
 * all-or-nothing), every query over it fail, and {@code serve} refuse to open the store again.
 *
 * <p>Such a row is repaired ({@link JsonEscapes}) when that makes it readable, and otherwise set
 * aside, unchanged, in {@code span_quarantine} or {@code metric_quarantine} with the reason, so
 * the rows around it move on and nothing is silently deleted. Both are logged and counted.
 */
final class UnreadableRows {

  /** Whether a {@code span_ingest} row fails the conversion of {@link Schema#CONVERTED_COLUMNS}. */
  private static final String SPAN_FAILS = "(try(attributes::JSON::VARIANT) IS NULL AND attributes <> 'null') "
      + "OR try(events::JSON) IS NULL <> (events IS NULL) "
      + "OR try(resource_attributes::JSON) IS NULL <> (resource_attributes IS NULL) "
      + "OR try(links::JSON) IS NULL <> (links IS NULL)";

  /** What one pass did. */
  record Outcome(int repaired, int setAside) {
    boolean any() {
      return repaired + setAside > 0;
    }

    Outcome plus(Outcome other) {
      return new Outcome(repaired + other.repaired, setAside + other.setAside);
    }
  }

  private UnreadableRows() {
  }

  /**
   * Repairs or sets aside every {@code span_ingest} row up to {@code upTo} that cannot be
   * converted. The rows are judged first (a failed conversion aborts the transaction it runs in),
   * then all changes are made in one transaction.
   */
  static Outcome spans(Connection connection, long upTo) throws SQLException {
    List<Object[]> bad = new ArrayList<>();
    try (PreparedStatement find = connection.prepareStatement("SELECT seq, attributes, events, resource_attributes, links "
        + "FROM span_ingest WHERE seq <= ? AND (" + SPAN_FAILS + ") ORDER BY seq")) {
      find.setLong(1, upTo);
      try (ResultSet r = find.executeQuery()) {
        while (r.next()) {
          String[] texts = {repair(r.getString(2)), repair(r.getString(3)), repair(r.getString(4)), repair(r.getString(5))};
          bad.add(new Object[] {r.getLong(1), texts, null});
        }
      }
    }
    for (Object[] row : bad) {
      row[2] = spanConversionError(connection, (String[]) row[1]);
    }
    return Transaction.run(connection, () -> {
      for (Object[] row : bad) {
        String[] texts = (String[]) row[1];
        if (row[2] == null) {
          update(connection, "UPDATE span_ingest SET attributes = ?, events = ?, resource_attributes = ?, links = ? "
              + "WHERE seq = ?", texts[0], texts[1], texts[2], texts[3], row[0]);
        } else {
          setAside(connection, "span_quarantine", "span_ingest", "seq", (Long) row[0], (String) row[2]);
        }
      }
      return outcome(bad);
    });
  }

  /** As {@link #spans}, for {@code metrics} rows whose attributes are not JSON DuckDB can read. */
  static Outcome metrics(Connection connection) throws SQLException {
    List<Object[]> bad = new ArrayList<>();
    try (PreparedStatement find = connection.prepareStatement("SELECT rowid, attributes::VARCHAR FROM metrics "
        + "WHERE attributes IS NOT NULL AND NOT json_valid(attributes::VARCHAR)");
         ResultSet r = find.executeQuery()) {
      while (r.next()) {
        bad.add(new Object[] {r.getLong(1), repair(r.getString(2)), null});
      }
    }
    for (Object[] row : bad) {
      row[2] = conversionError(connection, "SELECT ?::JSON", (String) row[1]);
    }
    return Transaction.run(connection, () -> {
      for (Object[] row : bad) {
        if (row[2] == null) {
          update(connection, "UPDATE metrics SET attributes = ? WHERE rowid = ?", row[1], row[0]);
        } else {
          setAside(connection, "metric_quarantine", "metrics", "rowid", (Long) row[0], (String) row[2]);
        }
      }
      return outcome(bad);
    });
  }

  /** Each row is {id, repaired text(s), reason it is still unreadable or null}. */
  private static Outcome outcome(List<Object[]> rows) {
    int setAside = (int) rows.stream().filter(row -> row[2] != null).count();
    return new Outcome(rows.size() - setAside, setAside);
  }

  private static String repair(String json) {
    return json == null ? null : JsonEscapes.repairLoneSurrogates(json);
  }

  private static String spanConversionError(Connection connection, String[] texts) throws SQLException {
    String error = conversionError(connection, "SELECT ?::JSON::VARIANT", texts[0]);
    error = error != null ? error : conversionError(connection, "SELECT ?::JSON", texts[1]);
    error = error != null ? error : conversionError(connection, "SELECT ?::JSON", texts[2]);
    return error != null ? error : conversionError(connection, "SELECT ?::JSON", texts[3]);
  }

  /** DuckDB's own message when {@code sql} cannot convert {@code text}; null when it can. */
  private static String conversionError(Connection connection, String sql, String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try (PreparedStatement convert = connection.prepareStatement(sql)) {
      convert.setString(1, text);
      convert.executeQuery().close();
      return null;
    } catch (SQLException e) {
      String reason = Database.firstLine(String.valueOf(e.getMessage()));
      // DuckDB quotes the whole input, which may be a span's every attribute
      return reason.length() > 300 ? reason.substring(0, 299) + "…" : reason;
    }
  }

  private static void update(Connection connection, String sql, Object... values) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        update.setObject(i + 1, values[i]);
      }
      update.executeUpdate();
    }
  }

  /** Moves one row, unchanged but for JSON read as plain text, into {@code quarantine}. */
  private static void setAside(Connection connection, String quarantine, String table, String key, long id,
      String reason) throws SQLException {
    String columns = "SELECT * REPLACE (attributes::VARCHAR AS attributes), %s::VARCHAR AS reason, "
        + "%s::TIMESTAMP AS set_aside_at FROM " + table;
    update(connection, "CREATE TABLE IF NOT EXISTS " + quarantine + " AS " + String.format(columns, "NULL", "NULL")
        + " LIMIT 0");
    // by name: a quarantine table an older collector made has the columns of its time (StoreUpgrade adds links)
    update(connection, "INSERT INTO " + quarantine + " BY NAME " + String.format(columns, "?", "now()") + " WHERE " + key
        + " = ?", reason, id);
    update(connection, "DELETE FROM " + table + " WHERE " + key + " = ?", id);
    Log.warn("set aside " + table + " row " + key + "=" + id + " in table " + quarantine + ": " + reason);
  }
}
