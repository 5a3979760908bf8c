package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several of the report's queries over the same costly rows (a layer's lineage, its totals per key) asked in one
 * statement, so ClickHouse computes those rows once: their CTE is declared {@code MATERIALIZED}
 * ({@code enable_materialized_cte}), and each query's rows come back tagged with its name, in its own order, each
 * column in a slot of its own (so its type is its own, made Nullable). A query's rows are then exactly what it would
 * give alone. Should ClickHouse cut the combined result ({@code max_result_rows} with {@code result_overflow_mode =
 * break}), each query is asked again on its own, under the limits as they apply to it.
 */
final class Parts {

  /**
   * One query: its SELECT over the statement's CTEs, the names of the columns it gives, and its ORDER BY over those
   * columns (a total order, as a section's is), or empty for a query of one row.
   */
  record Part(String sql, List<String> columns, String order) {
  }

  private final SqlSource source;
  private final String with;
  private final String settings;
  private final Map<String, Part> parts = new LinkedHashMap<>();

  /**
   * @param with     the statement's CTEs, from {@code WITH} on, the shared one declared {@code AS MATERIALIZED}
   * @param settings the statement's further settings ({@code , name = value ...}), or empty
   */
  Parts(SqlSource source, String with, String settings) {
    this.source = source;
    this.with = with;
    this.settings = settings;
  }

  Parts add(String name, Part part) {
    parts.put(name, part);
    return this;
  }

  /** Every query's rows, by name, from one statement (or, should ClickHouse cut its result, one each). */
  Map<String, ResultTable> query() {
    List<String> names = new ArrayList<>(parts.keySet());
    List<String> branches = new ArrayList<>();
    for (int p = 0; p < names.size(); p++) {
      Part part = parts.get(names.get(p));
      List<String> select = new ArrayList<>();
      select.add(p + " AS part");
      select.add((part.order().isEmpty() ? "toUInt64(1)" : "row_number() OVER (ORDER BY " + part.order() + ")")
          + " AS ord");
      for (int q = 0; q < names.size(); q++) {
        List<String> columns = parts.get(names.get(q)).columns();
        for (int c = 0; c < columns.size(); c++) {
          select.add((q == p ? "`" + columns.get(c) + "`" : "NULL") + " AS " + slot(q, c));
        }
      }
      branches.add("SELECT " + String.join(", ", select) + " FROM (" + part.sql() + ")");
    }
    ResultTable all = source.query(with + " SELECT *, count() OVER () AS all_rows FROM ("
        + String.join(" UNION ALL ", branches) + ") ORDER BY part, ord SETTINGS enable_materialized_cte = 1"
        + settings);
    if (all.size() > 0 && all.number(0, "all_rows") != all.size()) {
      return alone();
    }
    Map<String, ResultTable> out = new LinkedHashMap<>();
    for (int p = 0; p < names.size(); p++) {
      List<String> columns = parts.get(names.get(p)).columns();
      List<ResultTable.Column> typed = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        typed.add(new ResultTable.Column(columns.get(c), all.columns().get(all.column(slot(p, c))).type()));
      }
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (all.number(i, "part") == p) {
          List<Object> row = new ArrayList<>(columns.size());
          for (int c = 0; c < columns.size(); c++) {
            row.add(all.value(i, slot(p, c)));
          }
          rows.add(row);
        }
      }
      out.put(names.get(p), new ResultTable(typed, rows, false));
    }
    return out;
  }

  /** Each query in a statement of its own. */
  private Map<String, ResultTable> alone() {
    Map<String, ResultTable> out = new LinkedHashMap<>();
    parts.forEach((name, part) -> out.put(name, source.query(with + " SELECT " + part.columns().stream()
        .map(c -> "`" + c + "`").collect(java.util.stream.Collectors.joining(", ")) + " FROM (" + part.sql() + ")"
        + (part.order().isEmpty() ? "" : " ORDER BY " + part.order()) + " SETTINGS enable_materialized_cte = 1"
        + settings)));
    return out;
  }

  private static String slot(int part, int column) {
    return "p" + part + "_" + column;
  }
}
