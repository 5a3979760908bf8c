package io.memtrace.collector.cli;

import io.memtrace.collector.Visible;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.health.RecordPattern;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.report.ReportRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Analyses the stored spans and keys: operations, key analytics, metrics summary.",
        "Slowest operations, largest values, operations by namespace;",
        "hot keys, keys written and never read, keys read once, keys with no TTL, namespace growth;",
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

  @Option(names = "--record-pattern", paramLabel = "PATTERN",
      description = "Which Redis keys are one record, for the TTL truth's drifting TTLs: a glob whose {name} segment is "
          + "the record id and whose * stays within a segment (a * at the end takes the rest), or a regex starting with "
          + "^ whose first group is the id (default: memory-state.record-pattern of --config, else "
          + RecordPattern.DEFAULT + ", langgraph-redis's checkpoint keys of one thread).")
  String recordPattern;

  @Mixin
  LoadWait loadWait;

  @Override
  public Integer call() {
    Duration last = since == null ? null : Units.duration("--since", since);
    boolean waits = loadWait.waits(false);
    // a running serve is asked for the whole report at once, unless asked to wait or to flag by a tenant rule or
    // record pattern of this command's, or for a time finer than its seconds
    RecordPattern records = recordPattern != null ? RecordPattern.parse(recordPattern) : tenant.records();
    if (!waits && tenant.config == null && recordPattern == null && (last == null || last.getNano() == 0)) {
      Optional<SourceOptions.Server> server = source.server();
      Optional<ServerReport.Answer> answer = server.flatMap(s -> ServerReport.ask(s, last == null ? null
          : last.getSeconds(), Math.max(2, windows), layer));
      if (answer.isPresent()) {
        print(answer.get().sections(), "collector at " + server.get().url(), answer.get().layer(),
            answer.get().pendingSpans(), false);
        return 0;
      }
    }
    Instant from = last == null ? null : Instant.now().minus(last);
    try (StoreReader rows = source.open(waits)) {
      Report report = rows.report(new ReportRequest(from, windows, layer, tenant.rule(), records));
      print(report.sections(), rows.describe(), report.layer(), rows.pendingSpans(), waits);
    }
    return 0;
  }

  private void print(List<Section> sections, String source, String analysed, long pendingSpans, boolean waited) {
    String where = source + (since == null ? "" : ", spans of the last " + since) + "; analysing " + analysed;
    System.out.print(format == Format.JSON ? Visible.json(ReportRenderer.json(sections, where, pendingSpans))
        : Visible.lines(ReportRenderer.markdown(sections, where, LoadWait.note(pendingSpans, waited))));
    System.out.flush();
  }
}
