package io.memtrace.collector.reader;

import io.memtrace.collector.query.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer to {@link ViewQuestion.Kind#TRACES} as every store gives it: the page's traces, newest first, each with
 * its summary. A store finds the traces and sums them its own way; the columns and their order are this class's.
 */
public final class TracePage {

  /** Traces a page shows; a store answers one more when there are more. */
  public static final int PAGE = 25;

  /** The columns: the page's order ({@code latest_us}, the newest span's start) and each trace's summary. */
  public static final List<String> COLUMNS = List.of("trace_id", "latest_us", "start_us", "duration_ms", "root",
      "service", "services", "spans", "memory_ops", "redis_commands", "errors");

  private static final List<String> TYPES = List.of("VARCHAR", "BIGINT", "BIGINT", "DOUBLE", "VARCHAR", "VARCHAR",
      "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT");

  private TracePage() {
  }

  /** Whether the search's key is a glob ({@code * ? [...]}, as DuckDB's GLOB reads them) rather than a key. */
  public static boolean isGlob(String key) {
    return key.indexOf('*') >= 0 || key.indexOf('?') >= 0 || key.indexOf('[') >= 0;
  }

  /**
   * @param page      the traces in the page's order, with {@code trace_id} and {@code latest_us}
   * @param summaries each trace's summary row by id, with the summary columns by name
   */
  public static ResultTable of(ResultTable page, ResultTable summaries) {
    List<ResultTable.Column> columns = new ArrayList<>();
    for (int i = 0; i < COLUMNS.size(); i++) {
      columns.add(new ResultTable.Column(COLUMNS.get(i), TYPES.get(i)));
    }
    Map<String, Integer> byId = new java.util.HashMap<>();
    for (int i = 0; i < summaries.size(); i++) {
      byId.put(summaries.text(i, "trace_id"), i);
    }
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      String id = page.text(i, "trace_id");
      Integer at = byId.get(id);
      if (at == null) {
        continue;
      }
      List<Object> row = new ArrayList<>();
      row.add(id);
      row.add(page.number(i, "latest_us"));
      for (String c : COLUMNS.subList(2, COLUMNS.size())) {
        Object v = summaries.value(at, c);
        row.add(v instanceof Number n && !(v instanceof Double) ? (Object) n.longValue() : v);
      }
      rows.add(row);
    }
    return new ResultTable(columns, rows, false);
  }
}
