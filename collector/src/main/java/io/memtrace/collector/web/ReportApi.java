package io.memtrace.collector.web;

import io.memtrace.collector.HttpAnswer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.memtrace.collector.UrlQuery;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreUnavailableException;
import io.memtrace.collector.report.ReportRenderer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /api/report[?since=SECONDS][&layer=memory|redis][&windows=N][&tenant=none][&fresh=true]}: the {@code report} command's
 * JSON (the growth check cut into {@code windows}, default 6; with {@code tenant=none}, no tenant rule, as a
 * {@code report} without {@code --config} asks; both echoed back, so that a caller knows this server took them; with
 * {@code fresh=true}, as the {@code report} command asks, built now even when a page's is fresh),
 * asked of the same {@link StoreReader}, so the web view shows the numbers the CLI prints; plus
 * {@code "sql"}, every statement the store ran. One report is built at a time and kept for
 * {@link #FRESH_MILLIS}, so pages that refresh themselves do not queue reports on a large store. It reads what is
 * loaded now, never waiting for a backlog of acknowledged spans, and counts those in {@code pending_spans}.
 */
public final class ReportApi extends JsonApi {

  static final long FRESH_MILLIS = 5_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TenantRule tenant;
  private String cachedKey;
  private long cachedAt;
  private byte[] cached;

  /**
   * @param readers the server's own store, read with what is loaded now
   * @param tenant  whose records a memory call may read, for the model-call sections
   */
  public ReportApi(StoreReader.Factory readers, TenantRule tenant) {
    super(readers, JSON);
    this.tenant = tenant;
  }

  @Override
  protected byte[] answer(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String since = UrlQuery.parameter(query, "since");
    String layer = UrlQuery.parameter(query, "layer");
    String windows = UrlQuery.parameter(query, "windows");
    boolean noTenant = "none".equals(UrlQuery.parameter(query, "tenant"));
    boolean fresh = "true".equals(UrlQuery.parameter(query, "fresh"));
    return report(since == null || since.isEmpty() ? null : Long.parseLong(since),
        layer == null || layer.isEmpty() ? null : Layer.valueOf(layer.toUpperCase(Locale.ROOT)),
        windows == null || windows.isEmpty() ? 6 : Math.max(2, Integer.parseInt(windows)), noTenant, fresh);
  }

  @Override
  protected String unreadable(IllegalArgumentException e) {
    return "since is a number of seconds, layer is memory or redis, windows a number";
  }

  @Override
  protected String unavailable(StoreUnavailableException e) {
    return "the store is not available: " + e.getMessage();
  }

  /** Gzipped when the client accepts gzip. */
  @Override
  protected void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    String encodings = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    if (encodings != null && encodings.contains("gzip")) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      body = gzip(body);
    }
    HttpAnswer.send(exchange, status, body);
  }

  private synchronized byte[] report(Long sinceSeconds, Layer layer, int windows, boolean noTenant, boolean fresh)
      throws IOException {
    String key = sinceSeconds + "/" + layer + "/" + windows + "/" + noTenant;
    long now = System.currentTimeMillis();
    if (!fresh && key.equals(cachedKey) && now - cachedAt < FRESH_MILLIS) {
      return cached;
    }
    Instant from = sinceSeconds == null ? null : Instant.now().minusSeconds(sinceSeconds);
    try (StoreReader reader = readers.open()) {
      Report report = reader.report(new ReportRequest(from, windows, layer, noTenant ? TenantRule.NONE : tenant));
      String where = reader.describe() + (sinceSeconds == null ? "" : ", spans of the last " + sinceSeconds + " s")
          + "; analysing " + report.layer();
      ObjectNode root = (ObjectNode) JSON.readTree(ReportRenderer.json(report.sections(), where, reader.pendingSpans()));
      root.putPOJO("sql", report.statements());
      root.put("windows", windows);
      root.put("tenant_rule", !noTenant && tenant.any());
      root.put("layer", report.layer());
      cached = JSON.writeValueAsBytes(root);
    }
    cachedKey = key;
    cachedAt = now;
    return cached;
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }
}
