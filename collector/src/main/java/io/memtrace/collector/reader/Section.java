package io.memtrace.collector.reader;

import io.memtrace.collector.query.ResultTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One part of the report: a table of rows and, where it helps, a few totals (for example how
 * many keys in all were never read, when the table lists only the first ones).
 */
public record Section(String id, String title, String note, ResultTable table, Map<String, Object> totals) {

  public Section(String id, String title, String note, ResultTable table) {
    this(id, title, note, table, new LinkedHashMap<>());
  }

  public Section with(String total, Object value) {
    totals.put(total, value);
    return this;
  }
}
