package io.memtrace.collector.cli;

import io.memtrace.collector.Visible;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.report.ReportRenderer;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Analyses the stored spans and keys: seed 000 analyses, seed 002 key analytics, metrics summary.",
        "Slowest operations, largest values, operations by namespace (seed 000);",
        "hot keys, keys written and never read, keys read once, keys with no TTL, namespace growth (seed 002);",
        "latency percentiles per operation, cache hit rate, error rate and memtrace's own counters;",
        "model calls and their memory: memory's share of input tokens, oldest value used, stale contexts, cross-tenant reads."})
final class ReportCommand implements Callable<Integer> {

  /** Report formats. */
  enum Format { MD, JSON }

  @Option(names = "--format", paramLabel = "md|json", defaultValue = "md", description = "Output format (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--since", paramLabel = "DURATION", description = "Only spans that started this long ago or later, e.g. 15m, 2h, 7d.")
  String since;

  @Option(names = "--windows", paramLabel = "N", defaultValue = "6",
      description = "Equal time windows the stored spans are cut into to find namespaces that grow fast; at least 2 "
          + "(default: ${DEFAULT-VALUE}).")
  int windows;

  @Option(names = "--layer", paramLabel = "memory|redis",
      description = {"Analyse memory-manager operations and their keys (memory) or Redis commands and the keys Redis",
          "holds (redis). One layer at a time, so that an operation and the Redis command it sent do not both count",
          "and a key is not listed under two names (default: memory if there are memory-manager spans, else redis)."})
  Layer layer;

  @Mixin
  SourceOptions source;

  @Mixin
  TenantOption tenant;

  @Mixin
  LoadWait loadWait;

  @Override
  public Integer call() {
    Instant from = since == null ? null : Instant.now().minus(Units.duration("--since", since));
    boolean waits = loadWait.waits(false);
    try (StoreReader rows = source.open(waits)) {
      Report report = rows.report(new ReportRequest(from, windows, layer, tenant.rule()));
      String where = rows.describe() + (since == null ? "" : ", spans of the last " + since) + "; analysing "
          + report.layer();
      System.out.print(format == Format.JSON ? Visible.json(ReportRenderer.json(report.sections(), where, rows.pendingSpans()))
          : Visible.lines(ReportRenderer.markdown(report.sections(), where, LoadWait.note(rows.pendingSpans(), waits))));
      System.out.flush();
    }
    return 0;
  }
}
