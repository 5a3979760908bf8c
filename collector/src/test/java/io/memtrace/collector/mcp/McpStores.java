package io.memtrace.collector.mcp;

import io.memtrace.collector.embedded.EmbeddedTimelineRows;
import io.memtrace.collector.provenance.ModelCallFixtures;
import io.memtrace.collector.reader.ContractCorpus;
import io.memtrace.collector.reader.TimelineFixtures;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A store like the demo's, for the MCP tests: the contract corpus (a memory manager's records, two services sharing
 * keys, compressed writes, another language's statements), a model call whose memory is linked (one record stale, one
 * another tenant's), and records whose timelines are known, with the keyspace notifications the watcher would have
 * recorded (expiries, evictions, outside changes, coverage gaps). Built once per test JVM and copied for each user,
 * since a running serve holds its store.
 */
final class McpStores {

  /** A key whose timeline holds every kind of event ({@link TimelineFixtures}). */
  static final String KEY = "plan-a";
  /** The trace with the linked model call. */
  static final String CALL_TRACE = ModelCallFixtures.CALL_TRACE;

  private static Path built;

  private McpStores() {
  }

  /** A new copy of the store in {@code dir}, which must not exist. */
  static synchronized Path copy(Path dir) throws Exception {
    if (built == null) {
      Path store = Files.createTempDirectory("mcp-store");
      List<ExportTraceServiceRequest> payloads = new ArrayList<>(ContractCorpus.payloads());
      payloads.addAll(List.of(ModelCallFixtures.writer(), ModelCallFixtures.turn(), ModelCallFixtures.rewriter()));
      payloads.addAll(TimelineFixtures.spans());
      TestStores.fill(store, payloads.toArray(new ExportTraceServiceRequest[0]));
      EmbeddedTimelineRows.insert(store, TimelineFixtures.notifications(), TimelineFixtures.statuses());
      built = store;
    }
    Files.createDirectories(dir);
    try (var files = Files.list(built)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  /** A good call of each tool on this store, in the order the server lists them. */
  static Map<String, Map<String, Object>> goodCalls() {
    Map<String, Map<String, Object>> calls = new java.util.LinkedHashMap<>();
    calls.put("memory_overview", Map.of());
    calls.put("find_traces", Map.of("limit", 5));
    calls.put("trace_memory", Map.of("trace_id", CALL_TRACE));
    calls.put("key_timeline", Map.of("key", KEY));
    calls.put("model_call_memory", Map.of("trace_id", CALL_TRACE));
    calls.put("memory_as_of", Map.of("at", CALL_TRACE, "namespace", "chat:*"));
    calls.put("query", Map.of("sql", "SELECT service_name, count(*) AS spans FROM spans GROUP BY service_name "
        + "ORDER BY spans DESC"));
    return calls;
  }
}
