package io.memtrace.collector.mcp;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.ResultFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code query}: one read-only statement in the store's own SQL, through {@link io.memtrace.collector.reader.StoreReader#query}:
 * the same guard (one reading statement, checked by the store's own parser, in a read-only transaction), row cap and
 * time limit as {@code /api/query}; the answer shows at most {@code limit} rows and says when it was cut.
 */
final class QueryTool extends Tool {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  QueryTool() {
    super("query",
        "Read-only SQL over the span store, for what the other tools do not answer: the view spans (trace_id, span_id, "
            + "parent_span_id, name, kind, start_time, end_time, duration_ms, status_code, service_name, attributes, "
            + "events; attributes['memory.key'], attributes['memory.namespace'], attributes['gen_ai.conversation.id'] ...) "
            + "and metrics. One reading statement only (SELECT, WITH, DESCRIBE, SHOW ...): anything that writes is "
            + "refused, under the same guard, row cap and time limit as the collector's /api/query. Use it last.",
        Schema.object(Schema.properties(
            "sql", Schema.string("One reading statement in the store's SQL (DuckDB for a data directory, ClickHouse for a "
                + "fleet)."),
            "limit", Schema.limit("The most rows shown", DEFAULT_LIMIT, MAX_LIMIT)), "sql"));
  }

  @Override
  public Question ask(ToolArguments arguments) {
    String sql = arguments.required("sql");
    int limit = arguments.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
    return reader -> {
      ResultTable table = reader.query(sql);
      List<List<Object>> rows = table.rows().size() > limit ? new ArrayList<>(table.rows().subList(0, limit))
          : table.rows();
      String text = ResultFormat.TABLE.render(new ResultTable(table.columns(), rows, table.truncation()));
      if (table.rows().size() > limit) {
        text += "cut: " + limit + " of " + table.rows().size() + (table.truncated() ? "+" : "")
            + " rows shown (raise limit, at most " + MAX_LIMIT + ", or add ORDER BY ... LIMIT / OFFSET)\n";
      } else if (table.truncated()) {
        text += "cut by the store: " + table.truncation() + "\n";
      }
      return text;
    };
  }
}
