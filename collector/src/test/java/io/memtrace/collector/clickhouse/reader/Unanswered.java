package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A store's rows as another store would answer the reader's probes: each of the statements given returns no row (no
 * span carries retention's counts, no {@code memtrace_lineage}), every other statement goes to the store.
 */
final class Unanswered {

  private Unanswered() {
  }

  static SqlSource without(SqlSource rows, Set<String> empty) {
    return answering(new ArrayList<>(), sql -> empty.contains(sql) ? new ResultTable(List.of(), List.of(), false)
        : rows.query(sql), rows.describe());
  }

  /** A source that answers each statement with {@code answer}, after adding it to {@code asked}. */
  static SqlSource answering(List<String> asked, Function<String, ResultTable> answer, String description) {
    return new SqlSource() {
      @Override
      public ResultTable query(String sql) {
        asked.add(sql);
        return answer.apply(sql);
      }

      @Override
      public long pendingSpans() {
        return 0;
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public void close() {
      }
    };
  }
}
