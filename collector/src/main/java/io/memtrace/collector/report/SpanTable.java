package io.memtrace.collector.report;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.PromotedAttributes;
import java.util.stream.Collectors;

/**
 * What the report's queries read {@code FROM}: the {@code spans} view, whose typed attribute
 * columns ({@link PromotedAttributes}) they use throughout. A store written by an older collector
 * and opened read-only has no such columns; then the same columns are computed from
 * {@code attributes}, which gives the same report, only slower, and the report says so.
 */
final class SpanTable {

  static final String UPGRADE_NOTE = "This store was written by an older collector and has no typed attribute "
      + "columns: the report reads every span's attributes and is slow. Open it once with `serve --data DIR` to upgrade it.";

  private SpanTable() {
  }

  /** {@code spans}, or a subquery that adds the columns to it. */
  static String of(SqlSource source) {
    boolean typed = source.query("SELECT * FROM spans LIMIT 0").columns().stream()
        .anyMatch(c -> c.name().equals(PromotedAttributes.COLUMNS.get(0).name()));
    if (typed) {
      return "spans";
    }
    return "(SELECT *, " + PromotedAttributes.COLUMNS.stream()
        .map(c -> "TRY_CAST(attributes['" + c.key() + "'] AS " + c.type() + ") AS " + c.name())
        .collect(Collectors.joining(", ")) + " FROM spans) AS spans";
  }

  static boolean typed(String from) {
    return from.equals("spans");
  }
}
