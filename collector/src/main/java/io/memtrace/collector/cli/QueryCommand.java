package io.memtrace.collector.cli;

import io.memtrace.collector.query.ResultFormat;
import io.memtrace.collector.query.SqlSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Runs read-only SQL on the span store (tables: spans, metrics).",
        "Writes, DDL, ATTACH, COPY, INSTALL/LOAD, PRAGMA/SET and file-reading functions are rejected.",
        "Example: query \"SELECT attributes['memory.key'] AS key, duration_ms FROM spans ORDER BY duration_ms DESC LIMIT 10\""})
final class QueryCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SQL", description = "One SELECT statement.")
  String sql;

  @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Mixin
  SourceOptions source;

  @Override
  public Integer call() {
    try (SqlSource rows = source.open()) {
      System.out.print(format.render(rows.query(sql)));
      System.out.flush();
    }
    return 0;
  }
}
