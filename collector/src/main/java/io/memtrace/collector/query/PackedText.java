package io.memtrace.collector.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several text columns of a row sent as one: DuckDB's driver makes a Java string of every text cell it hands over, at
 * about a third of a microsecond each, which is most of the cost of reading a million rows of ten text columns. Packed,
 * each column is its length in code points (empty for null), a colon and its text, so any text (colons, newlines,
 * astral characters) comes back whole. {@link #cursor} reads the columns back by their own names.
 */
public final class PackedText {

  private PackedText() {
  }

  /** The SQL expression packing {@code columns} (each a text expression), named {@code as}. */
  public static String sql(List<String> columns, String as) {
    StringBuilder sql = new StringBuilder("concat(");
    for (int i = 0; i < columns.size(); i++) {
      String c = columns.get(i);
      sql.append(i == 0 ? "" : ", ").append("length(").append(c).append("), ':', ").append(c);
    }
    return sql.append(") AS ").append(as).toString();
  }

  /**
   * {@code rows} with the text columns packed in column {@code packed} read as columns of their own, by the names in
   * {@code columns}; the other columns as they are.
   */
  public static RowCursor cursor(RowCursor rows, String packed, List<String> columns) {
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      names.put(columns.get(i), i);
    }
    return new RowCursor() {
      private final int at = rows.column(packed);
      private final String[] fields = new String[columns.size()];

      @Override
      public int column(String name) {
        Integer i = names.get(name);
        return i == null ? rows.column(name) : -1 - i;
      }

      @Override
      public boolean next() {
        if (!rows.next()) {
          return false;
        }
        unpack(rows.text(at), fields);
        return true;
      }

      @Override
      public Object value(int column) {
        return column < 0 ? fields[-1 - column] : rows.value(column);
      }

      @Override
      public String text(int column) {
        return column < 0 ? fields[-1 - column] : rows.text(column);
      }

      @Override
      public Long number(int column) {
        return column < 0 ? (fields[-1 - column] == null ? null : Long.valueOf(fields[-1 - column]))
            : rows.number(column);
      }
    };
  }

  /** Splits a packed row into {@code fields}. */
  static void unpack(String row, String[] fields) {
    // without a surrogate pair in the row a length in code points is one in chars (and a Latin-1 row says so at once)
    boolean plain = row.codePointCount(0, row.length()) == row.length();
    int pos = 0;
    for (int i = 0; i < fields.length; i++) {
      int colon = row.indexOf(':', pos);
      if (colon == pos) {
        fields[i] = null;
        pos = colon + 1;
        continue;
      }
      int length = Integer.parseInt(row, pos, colon, 10);
      int start = colon + 1;
      int end = plain ? start + length : row.offsetByCodePoints(start, length);
      fields[i] = row.substring(start, end);
      pos = end;
    }
  }
}
