package io.memtrace.collector.versions;

import java.util.List;

/**
 * What one version changed, as rows to draw side by side ({@link DiffRow}).
 *
 * @param form  how the rows read: {@code fields} (a hash's fields), {@code json} (JSON paths), {@code lines} (a
 *              text's lines), {@code list} (elements by index), {@code members} (a set's), {@code scores} (a sorted
 *              set's members with their scores), or {@code none} (nothing to show: the value was not captured, or
 *              the write left it as it was)
 * @param rows  the rows, in the value's order
 * @param more  changes left out after the rows shown ({@link ValueDiff#MAX_ROWS})
 */
public record Diff(String form, List<DiffRow> rows, int more) {

  public Diff {
    rows = List.copyOf(rows);
  }

  static Diff none() {
    return new Diff("none", List.of(), 0);
  }
}
