package io.memtrace.collector.mcp;

import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.store.StoreFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: every tool's answer on a large stopped store (such as {@code IngestBenchmark N --realistic --keep DIR}
 * leaves), its size in characters against {@link MemtraceTools#MAX_CHARS} and its wall time, first call and best of
 * {@code runs}, the calls sharing a reader as {@code mcp --data DIR}'s do ({@link LingeringReaders}). The arguments
 * are the store's own: its most used memory key and namespace, and its largest trace. Then the report's headline,
 * which {@code memory_overview} asks, beside the whole report, on one reader.
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar io.memtrace.collector.mcp.McpSizeBenchmark
 * DIR [runs]}
 */
public final class McpSizeBenchmark {

  public static void main(String[] args) {
    StoreFiles files = new StoreFiles(Path.of(args[0]));
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String key;
    String namespace;
    String trace;
    long spans;
    try (StoreReader reader = EmbeddedReader.local(files)) {
      spans = reader.query("SELECT count(*) AS n FROM spans").number(0, "n");
      ResultTable hot = reader.query("SELECT memory_key AS k, memory_namespace AS ns, count(*) AS n FROM spans "
          + "WHERE memory_key IS NOT NULL AND memory_operation IS NOT NULL GROUP BY 1, 2 ORDER BY n DESC LIMIT 1");
      key = hot.text(0, "k");
      namespace = hot.text(0, "ns");
      trace = reader.query("SELECT trace_id, count(*) AS n FROM spans GROUP BY 1 ORDER BY n DESC, trace_id LIMIT 1")
          .text(0, "trace_id");
    }
    System.out.printf(Locale.ROOT, "%,d spans; key %s in %s; trace %s%n", spans, key, namespace, trace);
    MemtraceTools tools = new MemtraceTools(new ToolContext(new LingeringReaders(() -> EmbeddedReader.local(files),
        10_000), TenantRule.NONE,
        files.dir()));
    Map<String, Map<String, Object>> calls = new LinkedHashMap<>();
    calls.put("memory_overview", Map.of());
    calls.put("find_traces", Map.of());
    calls.put("find_traces key", Map.of("key", key));
    calls.put("trace_memory", Map.of("trace_id", trace));
    calls.put("trace_memory max", Map.of("trace_id", trace, "limit", 300, "depth", 30));
    calls.put("key_timeline", Map.of("key", key));
    calls.put("key_timeline max", Map.of("key", key, "limit", 100));
    calls.put("model_call_memory", Map.of("trace_id", trace));
    calls.put("memory_as_of", Map.of("at", trace, "namespace", namespace));
    calls.put("query", Map.of("sql", "SELECT name, count(*) AS n FROM spans GROUP BY name ORDER BY n DESC"));
    // what opening a reader costs each call: a statement that reads nothing
    calls.put("query 1", Map.of("sql", "SELECT 1 AS one"));
    System.out.println("| call | characters | first (ms) | best of " + runs + " (ms) | error |");
    System.out.println("|---|---|---|---|---|");
    calls.forEach((label, arguments) -> {
      String tool = label.split(" ")[0];
      long first = 0;
      long best = Long.MAX_VALUE;
      MemtraceTools.Answer answer = null;
      for (int i = 0; i < runs + 1; i++) {
        long start = System.nanoTime();
        answer = tools.call(tool, arguments);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (i == 0) {
          first = ms;
        } else {
          best = Math.min(best, ms);
        }
      }
      System.out.printf(Locale.ROOT, "| %s | %,d | %d | %d | %s |%n", label, answer.text().length(), first, best,
          answer.error() ? answer.text().lines().findFirst().orElse("") : "");
    });
    // memory_overview asks the report's headline alone; beside it, on one reader, the whole report it used to run
    try (StoreReader reader = EmbeddedReader.local(files)) {
      ReportRequest request = new ReportRequest(null, 6, null, TenantRule.NONE);
      Map<String, java.util.function.Supplier<Report>> asks = new LinkedHashMap<>();
      asks.put("StoreReader.headline", () -> reader.headline(request));
      asks.put("StoreReader.report (whole)", () -> reader.report(request));
      asks.forEach((label, ask) -> {
        long first = 0;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs + 1; i++) {
          long start = System.nanoTime();
          ask.get();
          long ms = (System.nanoTime() - start) / 1_000_000;
          if (i == 0) {
            first = ms;
          } else {
            best = Math.min(best, ms);
          }
        }
        System.out.printf(Locale.ROOT, "| %s | | %d | %d | |%n", label, first, best);
      });
    }
  }
}
