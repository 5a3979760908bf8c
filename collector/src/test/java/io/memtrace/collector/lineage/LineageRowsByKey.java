package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rows of one question of the {@code lineage} view, by key: a test that checks many keys of one unchanging store
 * asks once (a question of the view costs about a second of planning however small the store) and looks each key up.
 * Each row is its columns after the first (the key) as text, joined by spaces ({@code null} for a null).
 */
final class LineageRowsByKey {

  private final Map<String, List<String>> rows = new HashMap<>();

  /** {@code sql}'s rows, its first column the key. */
  LineageRowsByKey(SqlSource source, String sql) {
    ResultTable table = source.query(sql);
    assertThat(table.truncated()).as(sql).isFalse();
    for (List<Object> row : table.rows()) {
      rows.computeIfAbsent(String.valueOf(row.get(0)), k -> new ArrayList<>())
          .add(row.subList(1, row.size()).stream().map(String::valueOf).collect(Collectors.joining(" ")));
    }
  }

  /** The one row of {@code key}: fails unless there is exactly one. */
  String one(String key) {
    List<String> of = rows.getOrDefault(key, List.of());
    assertThat(of).as(key).hasSize(1);
    return of.get(0);
  }

  /** The rows of {@code table} whose {@code column} is {@code value} as text, in their order. */
  static ResultTable where(ResultTable table, String column, String value) {
    int c = table.column(column);
    return new ResultTable(table.columns(), table.rows().stream().filter(r -> value.equals(String.valueOf(r.get(c))))
        .toList(), table.truncation());
  }
}
