package io.memtrace.collector.server;

import io.memtrace.collector.HttpAnswer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.Failures;
import io.memtrace.collector.forward.ForwardStats;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.ingest.AckLatency;
import io.memtrace.collector.ingest.IngestStats;
import io.memtrace.collector.ingest.ValidText;
import io.memtrace.collector.query.QueryApiHandler;
import io.memtrace.collector.server.http.HttpFront;
import io.memtrace.collector.store.IngestLog;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.ValueBudget;
import io.memtrace.collector.ingest.ValueEvents;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/status}: what was received, refused and forwarded since start. */
final class StatusHandler implements HttpHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SpanStore store;
  private final HttpFront front;
  private final IngestStats stats;
  private final Forwarder forwarder;
  private final String instance;
  private final QueryApiHandler queries;

  StatusHandler(SpanStore store, IngestStats stats, Forwarder forwarder, HttpFront front, String instance,
      QueryApiHandler queries) {
    this.store = store;
    this.front = front;
    this.stats = stats;
    this.forwarder = forwarder;
    this.instance = instance;
    this.queries = queries;
  }

  /** Any other path under {@code /api/}: 404, after the token was checked. */
  static void notFound(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = JSON.writeValueAsBytes(Map.of("error", "no such API: " + exchange.getRequestURI().getPath()
          + " (there are /api/query, /api/status, /api/report and /api/keyspace)"));
      HttpAnswer.send(exchange, 404, HttpAnswer.JSON, body);
    }
  }

  /** The captured values: kept, removed by each rule, and dropped at ingest as malformed; never lost silently. */
  private static Map<String, Object> values(SpanStore store) {
    Map<String, Object> v = new LinkedHashMap<>();
    ValueBudget.Figures f = store.valueFigures();
    if (f != null) {
      v.put("retention_seconds", f.retentionSeconds());
      v.put("budget_bytes", f.budgetBytes());
      v.put("stored", f.stored());
      v.put("stored_bytes", f.storedBytes());
      v.put("pruned_retention", f.prunedRetention());
      v.put("pruned_budget", f.prunedBudget());
      v.put("pruned_budget_bytes", f.prunedBudgetBytes());
    }
    v.put("malformed", ValueEvents.malformed());
    return v;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("status", "ok");
      status.put("pid", ProcessHandle.current().pid());
      status.put("data", store.files().dir().toString());
      status.put("instance", instance);
      status.put("queries_running", queries.running());
      status.put("requests", stats.requests());
      // refused by a handler (malformed payload, ...) or by the front before a handler saw it (a declared body
      // over the limit, broken framing, a timeout)
      status.put("requests_rejected", stats.rejected() + front.problems());
      status.put("store_failures", stats.storeFailures());
      status.put("spans_received", stats.spans());
      status.put("duplicates_skipped", store.duplicatesSkipped());
      AckLatency ack = stats.ackLatency();
      Map<String, Object> latency = new LinkedHashMap<>();
      latency.put("answers", ack.count());
      latency.put("p50", ack.percentileMicros(0.50) / 1000.0);
      latency.put("p99", ack.percentileMicros(0.99) / 1000.0);
      latency.put("max", ack.maxMicros() / 1000.0);
      status.put("ack_latency_ms", latency);
      IngestLog log = store.ingestLog();
      if (log != null) {
        // acknowledged and durable, not yet rows a query sees; queries wait for them (SpanStore.newConnection)
        Map<String, Object> logged = new LinkedHashMap<>();
        logged.put("unloaded_spans", log.unloadedSpans());
        logged.put("unloaded_bytes", log.unloadedBytes());
        logged.put("requests_read_back", log.readBack());
        logged.put("records_unreadable", log.unreadableRecords());
        // a backlog of a row group or more goes straight to span_store in one transaction (docs/adr/0001)
        logged.put("spans_loaded_in_bulk", store.spansLoadedInBulk());
        status.put("ingest_log", logged);
      }
      status.put("metric_points_received", stats.metricPoints());
      status.put("values", values(store));
      status.put("text_repaired", ValidText.repaired());
      status.put("rows_repaired", store.repairedRows());
      status.put("rows_set_aside", store.setAsideRows());
      status.put("unexpected_failures", Failures.count());
      status.put("connections_refused", front.refusedConnections());
      status.put("connections_timed_out", front.timeouts());
      if (forwarder != null) {
        ForwardStats f = forwarder.stats();
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("upstream", f.upstream());
        forward.put("sent", f.sent());
        forward.put("retries", f.retries());
        forward.put("queued", f.queued());
        forward.put("dropped_queue_full", f.droppedQueueFull());
        forward.put("dropped_failed", f.droppedFailed());
        status.put("forward", forward);
      }
      byte[] body = JSON.writeValueAsBytes(status);
      HttpAnswer.send(exchange, 200, HttpAnswer.JSON, body);
    }
  }
}
