package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.TracePage;
import io.memtrace.collector.reader.ViewQuestion;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of the web view's traces list in ClickHouse SQL: the page's traces found in one pass over the range (the
 * search's service, span name and time on {@code otel_traces}' own columns, the rest on the typed spans), then their
 * summaries by trace id, which the bloom filter on {@code TraceId} narrows to a few granules.
 */
final class ClickHouseTraceList {

  private ClickHouseTraceList() {
  }

  static String micros(long us) {
    return "fromUnixTimestamp64Micro(" + us + ")";
  }

  private static String literal(String text) {
    return ClickHouseTraces.literal(text);
  }

  /** The traces of a page, newest first, and their summaries: ClickHouse groups the whole range in one pass. */
  static ResultTable page(SqlSource source, ViewQuestion q, Long since) {
    List<String> bounds = new ArrayList<>();
    if (since != null) {
      bounds.add("s.Timestamp >= " + micros(since));
    }
    if (q.number("before") != null) {
      bounds.add("s.Timestamp < " + micros(q.number("before")));
    }
    if (q.text("service") != null) {
      bounds.add("s.ServiceName = " + literal(q.text("service")));
    }
    if (q.text("name") != null) {
      bounds.add("s.SpanName = " + literal(q.text("name")));
    }
    List<String> where = new ArrayList<>();
    String key = q.text("key");
    if (key != null) {
      where.add(TracePage.isGlob(key) ? "match(memory_key, " + literal(io.memtrace.common.Glob.sqlGlobToRegex(key)) + ")" : "memory_key = " + literal(key));
    }
    if (q.text("ns") != null) {
      where.add("memory_namespace = " + literal(q.text("ns")));
    }
    Double min = q.decimal("min");
    if (min != null && min > 0) {
      where.add("duration_ms >= " + min);
    }
    if (q.text("errors") != null) {
      where.add("status_code = 'ERROR'");
    }
    ResultTable page = source.query("SELECT trace_id, max(start_us) AS latest_us FROM "
        + TypedSpans.from(0, String.join(" AND ", bounds)) + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + "\nGROUP BY trace_id ORDER BY latest_us DESC, trace_id LIMIT " + (TracePage.PAGE + 1));
    if (page.size() == 0) {
      return TracePage.of(page, page);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      ids.add(literal(page.text(i, "trace_id")));
    }
    ResultTable summaries = source.query("SELECT trace_id, min(start_us) AS start_us,\n"
        + "  (max(end_us) - min(start_us)) / 1000.0 AS duration_ms,\n"
        + "  if(countIf(parent_span_id IS NULL) > 0, argMinIf(name, start_us, parent_span_id IS NULL), "
        + "argMin(name, start_us)) AS root,\n  argMin(service_name, start_us) AS service, "
        + "uniqExact(service_name) AS services,\n  count() AS spans, countIf(memory_operation IS NOT NULL) AS memory_ops,\n"
        + "  countIf(db_system_name IS NOT NULL OR db_system IS NOT NULL) AS redis_commands,\n"
        + "  countIf(status_code = 'ERROR') AS errors\nFROM " + TypedSpans.from(0, "s.TraceId IN (" + String.join(", ", ids)
        + ")") + "\nGROUP BY trace_id SETTINGS prefer_column_name_to_alias = 1");
    return TracePage.of(page, summaries);
  }
}
