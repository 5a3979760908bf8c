package io.memtrace.collector.reader;

import io.memtrace.collector.query.ResultTable;
import java.util.List;

/**
 * A store's answer to a {@link ViewQuestion}: the rows, with the columns the question documents, and the statements
 * the store ran for them, in its own query language, so the page can show the SQL behind its numbers.
 */
public record ViewAnswer(ResultTable table, List<String> statements) {

  public ViewAnswer {
    statements = List.copyOf(statements);
  }
}
