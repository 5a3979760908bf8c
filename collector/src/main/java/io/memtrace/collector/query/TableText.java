package io.memtrace.collector.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.Visible;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The aligned text table {@code query} prints: a header, a rule, then rows. Fractional numbers in a
 * column share one number of decimals (at least two, at most six), so 7.25 and 15.00 line up.
 */
final class TableText {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GAP = "   ";

  private TableText() {
  }

  static String render(ResultTable table) {
    int columns = table.columns().size();
    List<String[]> cells = new ArrayList<>();
    String[] header = new String[columns];
    for (int c = 0; c < columns; c++) {
      header[c] = Visible.text(table.columns().get(c).name());
    }
    int[] decimals = new int[columns];
    for (List<Object> row : table.rows()) {
      for (int c = 0; c < columns; c++) {
        decimals[c] = Math.max(decimals[c], decimalsOf(row.get(c)));
      }
    }
    for (List<Object> row : table.rows()) {
      String[] line = new String[columns];
      for (int c = 0; c < columns; c++) {
        line[c] = cell(row.get(c), decimals[c]);
      }
      cells.add(line);
    }
    int[] width = new int[columns];
    for (int c = 0; c < columns; c++) {
      width[c] = header[c].length();
      for (String[] line : cells) {
        width[c] = Math.max(width[c], line[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    append(out, header, width);
    int total = 0;
    for (int w : width) {
      total += w;
    }
    out.append("-".repeat(total + GAP.length() * Math.max(0, columns - 1))).append('\n');
    for (String[] line : cells) {
      append(out, line, width);
    }
    out.append('(').append(table.size()).append(table.size() == 1 ? " row" : " rows")
        .append(table.truncated() ? ", truncated to " + table.truncation() : "").append(")\n");
    return out.toString();
  }

  private static void append(StringBuilder out, String[] line, int[] width) {
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < line.length; c++) {
      if (c > 0) {
        text.append(GAP);
      }
      text.append(line[c]);
      if (c < line.length - 1) {
        text.append(" ".repeat(width[c] - line[c].length()));
      }
    }
    out.append(text.toString().stripTrailing()).append('\n');
  }

  /** Decimals a fractional value needs (0 for anything else). */
  private static int decimalsOf(Object value) {
    if (value instanceof Double) {
      double d = (Double) value;
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return 0;
      }
      BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
      return Math.min(6, Math.max(2, exact.scale()));
    }
    if (value instanceof BigDecimal) {
      return Math.min(6, Math.max(0, ((BigDecimal) value).scale()));
    }
    return 0;
  }

  private static String cell(Object value, int decimals) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Double && decimals > 0 && !((Double) value).isNaN() && !((Double) value).isInfinite()) {
      return String.format(java.util.Locale.ROOT, "%." + decimals + "f", (Double) value);
    }
    return Visible.text(plain(value));
  }

  /** A value as one line of text: nested values as JSON. */
  static String plain(Object value) {
    if (value instanceof Map || value instanceof List) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        return value.toString();
      }
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    return String.valueOf(value);
  }
}
