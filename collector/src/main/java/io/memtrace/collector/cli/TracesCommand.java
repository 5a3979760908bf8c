package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TraceRequest;
import io.memtrace.collector.view.TimelineRenderer;
import io.memtrace.collector.view.TraceSpan;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "traces", mixinStandardHelpOptions = true,
    description = {"Prints traces as timeline trees in the terminal.",
        "Each span: start offset, span, key (or agent, or test) in brackets,",
        "duration, and a detail line (namespace, size, found, results, items) under memory operations; failed spans",
        "are marked ✗. Under each read, which write it saw (lineage). Under the box: memory-manager operations, Redis",
        "commands, and the bytes moved, each once; then the keyspace at the trace's start, when the watcher sampled it.",
        "Under each model call, the memory in its prompt: records, their writers and ages, stale and cross-tenant marks."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:Success, also when the store holds no trace at all.",
        "1:--trace names a trace the store does not hold, or the command failed.",
        "2:Usage error, as for every command."})
final class TracesCommand implements Callable<Integer> {

  @Option(names = "--last", paramLabel = "N", defaultValue = "5", description = "The N most recent traces (default: ${DEFAULT-VALUE}).")
  int last;

  @Option(names = "--trace", paramLabel = "ID", description = "Only this trace (hex id, or a prefix of one).")
  String trace;

  @Option(names = "--service", paramLabel = "NAME", description = "Only traces of this service.name.")
  String service;

  @Option(names = "--color", paramLabel = "auto|always|never", defaultValue = "auto",
      description = "Colour output (default: ${DEFAULT-VALUE}: only when writing to a terminal).")
  String color;

  @Option(names = "--width", paramLabel = "COLUMNS",
      description = "Widest the box may be, borders included, at least 42 (default: $COLUMNS, else 120; a narrower terminal gets 42); longer lines are cut with … or wrapped.")
  Integer width;

  @Mixin
  SourceOptions source;

  @Mixin
  TenantOption tenant;

  @Mixin
  LoadWait loadWait;

  @Override
  public Integer call() {
    boolean colour = "always".equals(color) || "auto".equals(color) && System.console() != null;
    int columns = columns();
    boolean waits = loadWait.waits(false);
    try (StoreReader rows = source.open(waits)) {
      Map<String, List<TraceSpan>> traces = rows.traces(new TraceRequest(trace, last, service, tenant.rule()));
      LoadWait.tell(rows, waits);
      if (traces.values().stream().allMatch(List::isEmpty)) {
        System.err.println(trace != null ? "no trace " + trace + " in " + rows.describe() : "no traces in " + rows.describe());
        return trace != null ? 1 : 0;
      }
      TimelineRenderer renderer = new TimelineRenderer(colour, columns);
      StringBuilder out = new StringBuilder();
      for (List<TraceSpan> spans : traces.values()) {
        if (!spans.isEmpty()) {
          out.append(renderer.render(spans, rows.keyspaceAtStart(spans))).append('\n');
        }
      }
      System.out.print(out);
      System.out.flush();
    }
    return 0;
  }

  private int columns() {
    if (width != null) {
      if (width < TimelineRenderer.MIN_COLUMNS) {
        // the box needs room for a name and a duration; narrower, every line would break --width
        throw new CollectorException("--width must be at least " + TimelineRenderer.MIN_COLUMNS + " columns, not " + width);
      }
      return width;
    }
    try {
      String columns = System.getenv("COLUMNS");
      return columns == null || columns.isBlank() ? TimelineRenderer.DEFAULT_COLUMNS : Integer.parseInt(columns.trim());
    } catch (NumberFormatException e) {
      return TimelineRenderer.DEFAULT_COLUMNS;
    }
  }
}
