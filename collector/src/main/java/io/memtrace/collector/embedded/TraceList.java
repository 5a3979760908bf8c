package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.ViewQuestion;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of the web view's traces list in DuckDB SQL: which traces it shows (newest first, one more than a page when
 * there are more), looked for in widening windows back from the newest span so that a store of millions of spans is
 * read only as far back as a page needs, then each one's summary, found by trace id from its earliest span in the
 * window on.
 */
final class TraceList {

  private static final int PAGE = io.memtrace.collector.reader.TracePage.PAGE;
  /** The first window, in microseconds; each next one is ten times wider. */
  private static final long FIRST_WINDOW_US = 100_000;
  /** How long before its root span a span of the same trace may start: the clocks of two hosts. */
  private static final long SKEW_US = 10_000_000;

  private final SqlSource source;
  private final List<String> conditions = new ArrayList<>();
  private final String bounds;

  TraceList(SqlSource source, ViewQuestion q, java.time.Instant now) {
    this.source = source;
    if (q.text("service") != null) {
      conditions.add("service_name = " + TraceQueries.literal(q.text("service")));
    }
    if (q.text("name") != null) {
      conditions.add("name = " + TraceQueries.literal(q.text("name")));
    }
    String key = q.text("key");
    if (key != null) {
      conditions.add("memory_key " + (io.memtrace.collector.reader.TracePage.isGlob(key) ? "GLOB " : "= ") + TraceQueries.literal(key));
    }
    if (q.text("ns") != null) {
      conditions.add("memory_namespace = " + TraceQueries.literal(q.text("ns")));
    }
    Double min = q.decimal("min");
    if (min != null && min > 0) {
      conditions.add("duration_ms >= " + min);
    }
    if (q.text("errors") != null) {
      conditions.add("status_code = 'ERROR'");
    }
    Long since = q.sinceMicros(now);
    Long before = q.number("before");
    bounds = (since == null ? "" : " AND start_time >= make_timestamp(" + since + ")")
        + (before == null ? "" : " AND start_time < make_timestamp(" + before + ")");
  }

  ResultTable page() {
    ResultTable page = source.query(group(String.join(" AND ", withTrue(conditions, "start_time >= (SELECT "
        + "max(start_time) FROM spans WHERE true" + bounds + ") - INTERVAL " + FIRST_WINDOW_US + " MICROSECOND"))
        + bounds));
    if (page.size() <= PAGE) {
      ResultTable extent = source.query("SELECT epoch_us(max(start_time)) AS newest, epoch_us(min(start_time)) AS "
          + "oldest FROM spans WHERE true" + bounds);
      if (extent.value(0, "newest") == null) {
        return summaries(page);
      }
      long newest = extent.number(0, "newest");
      long oldest = extent.number(0, "oldest");
      for (long width = FIRST_WINDOW_US * 10; newest - width / 10 > oldest; width *= 10) {
        long lo = newest - width;
        List<String> where = withTrue(conditions, "start_time <= make_timestamp(" + newest + ")");
        if (lo > oldest) {
          where.add("start_time >= make_timestamp(" + lo + ")");
        }
        page = source.query(group(String.join(" AND ", where) + bounds));
        if (page.size() > PAGE) {
          break;
        }
      }
    }
    return summaries(page);
  }

  private static List<String> withTrue(List<String> conditions, String more) {
    List<String> all = new ArrayList<>(conditions);
    all.add(more);
    return all;
  }

  private static String group(String where) {
    return "SELECT trace_id, epoch_us(max(start_time)) AS latest_us, epoch_us(min(start_time)) AS first_us FROM spans\n"
        + "WHERE " + where + "\nGROUP BY trace_id ORDER BY latest_us DESC, trace_id LIMIT " + (PAGE + 1);
  }

  /** The page's traces in its order, each with its summary: read from its earliest span in the window on, else whole. */
  private ResultTable summaries(ResultTable page) {
    List<List<Object>> summed = new ArrayList<>();
    List<ResultTable.Column> columns = List.of();
    if (page.size() > 0) {
      long from = Long.MAX_VALUE;
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < page.size(); i++) {
        ids.add(page.text(i, "trace_id"));
        from = Math.min(from, page.number(i, "first_us"));
      }
      ResultTable first = source.query(summarySql(ids, from - SKEW_US));
      columns = first.columns();
      List<String> partial = new ArrayList<>(ids);
      for (int i = 0; i < first.size(); i++) {
        if (Boolean.TRUE.equals(first.bool(i, "whole"))) {
          summed.add(first.rows().get(i));
          partial.remove(first.text(i, "trace_id"));
        }
      }
      if (!partial.isEmpty()) {
        ResultTable again = source.query(summarySql(partial, null));
        summed.addAll(again.rows());
      }
    }
    return io.memtrace.collector.reader.TracePage.of(page, new ResultTable(columns, summed, false));
  }

  private static String summarySql(List<String> ids, Long fromUs) {
    String from = fromUs == null ? "" : "\n  AND start_time >= make_timestamp(" + fromUs + ")";
    String whole = fromUs == null ? "true" : "coalesce(min(start_time) FILTER (WHERE parent_span_id IS NULL) >= "
        + "make_timestamp(" + (fromUs + SKEW_US) + "), false)";
    return "SELECT trace_id, epoch_us(min(start_time)) AS start_us,\n"
        + "  (epoch_us(max(end_time)) - epoch_us(min(start_time))) / 1000.0 AS duration_ms,\n"
        + "  coalesce(arg_min(name, start_time) FILTER (WHERE parent_span_id IS NULL), arg_min(name, start_time)) AS root,\n"
        + "  arg_min(service_name, start_time) AS service, count(DISTINCT service_name) AS services,\n"
        + "  count(*) AS spans, count(*) FILTER (WHERE memory_operation IS NOT NULL) AS memory_ops,\n"
        + "  count(*) FILTER (WHERE db_system_name IS NOT NULL OR db_system IS NOT NULL) AS redis_commands,\n"
        + "  count(*) FILTER (WHERE status_code = 'ERROR') AS errors, " + whole + " AS whole\n"
        + "FROM spans WHERE trace_id IN (" + String.join(", ", ids.stream().map(TraceQueries::literal).toList()) + ")"
        + from + "\nGROUP BY trace_id";
  }
}
