package io.memtrace.collector.cli;

import io.memtrace.collector.query.ResultFormat;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.StoreReader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Runs read-only SQL on the span store (tables: spans, metrics).",
        "DuckDB's parser decides what the statement is: only reads run, in a read-only transaction, and only",
        "table functions that compute rows or list the schema (range, unnest, duckdb_tables, ...) may be called.",
        "The captured values (table key_value) are read only with --include-values.",
        "Example: query \"SELECT attributes['memory.key'] AS key, duration_ms FROM spans ORDER BY duration_ms DESC LIMIT 10\""})
final class QueryCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SQL", description = "One SELECT statement.")
  String sql;

  @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Option(names = "--include-values",
      description = "Let the statement read the captured values (key_value; on ClickHouse memtrace_key_values), "
          + "which are refused without it.")
  boolean includeValues;

  @Mixin
  SourceOptions source;

  @Mixin
  LoadWait loadWait;

  @Override
  public Integer call() {
    boolean waits = loadWait.waits(true);
    try (StoreReader rows = source.open(waits)) {
      ResultTable result = includeValues ? rows.queryWithValues(sql) : rows.query(sql);
      System.out.print(format.render(result));
      System.out.flush();
      if (result.truncated() && format != ResultFormat.TABLE) {
        System.err.println("warning: the result was truncated to " + result.truncation()
            + " (the bounds are serve's --max-result-rows and --max-result-bytes)");
      }
      LoadWait.tell(rows, waits);
    }
    return 0;
  }
}
