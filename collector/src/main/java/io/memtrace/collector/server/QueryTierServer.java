package io.memtrace.collector.server;

import io.memtrace.collector.mcp.McpHttpTransport;
import io.memtrace.collector.mcp.McpRoute;
import io.memtrace.collector.mcp.MemtraceTools;
import io.memtrace.collector.mcp.ToolContext;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.QueryApiHandler;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.server.http.FrontLimits;
import io.memtrace.collector.server.http.HttpFront;
import io.memtrace.collector.server.http.Lane;
import io.memtrace.collector.web.ReportApi;
import io.memtrace.collector.web.WebHandler;
import io.memtrace.collector.web.WebSessions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * {@code serve --clickhouse}: the query tier of a fleet, which keeps no store of its own. The same web view, report
 * API and SQL API as {@link CollectorServer}, behind the same token and limits, answered by the readers it is given
 * (ClickHouse's); no OTLP ingest, which goes to the OpenTelemetry Collector gateway instead.
 */
public final class QueryTierServer implements AutoCloseable {

  private final HttpFront front;
  private final Lane api = new Lane("memtrace-api", CollectorServer.API_THREADS, 32);
  private final Lane web = new Lane("memtrace-web", 4, 64);
  private final Draining draining = new Draining();
  private final WebSessions sessions;
  private final McpRoute mcp;

  public QueryTierServer(String bind, int port, FrontLimits limits, StoreReader.Factory readers, ApiSettings settings)
      throws IOException {
    front = new HttpFront(new InetSocketAddress(bind, port), limits);
    sessions = new WebSessions(front.address().getPort());
    AccessGuard guard = new AccessGuard(settings.token(), settings.allowedHosts(), sessions);
    front.route("/api/", draining.wrap(guard.api(StatusHandler::notFound)), api, CollectorServer.API_MAX_BODY);
    front.route("/api/query", draining.wrap(guard.api(new QueryApiHandler(readers))), api, CollectorServer.API_MAX_BODY);
    front.route("/api/view/", draining.wrap(guard.api(new io.memtrace.collector.web.ViewApi(readers))), api, CollectorServer.API_MAX_BODY);
    front.route(io.memtrace.collector.web.TimelineApi.PREFIX, draining.wrap(guard.api(new io.memtrace.collector.web.TimelineApi(readers))), api,
        CollectorServer.API_MAX_BODY);
    front.route("/api/report", draining.wrap(guard.api(new ReportApi(readers, TenantRule.NONE))), api, CollectorServer.API_MAX_BODY);
    front.route("/api/status", draining.wrap(guard.api(exchange -> status(exchange, readers, settings))), api,
        CollectorServer.API_MAX_BODY);
    mcp = new McpRoute(() -> new MemtraceTools(new ToolContext(readers, TenantRule.NONE, null)));
    front.route(McpHttpTransport.PATH, draining.wrap(guard.api(mcp)), api, CollectorServer.API_MAX_BODY);
    front.route("/", draining.wrap(guard.open(new WebHandler(guard, sessions))), web, 64 << 10);
  }

  /** {@code GET /api/status}: this process and where its answers come from, asked of the store now. */
  private static void status(com.sun.net.httpserver.HttpExchange exchange, StoreReader.Factory readers,
      ApiSettings settings) throws IOException {
    try (exchange) {
      java.util.Map<String, Object> status = new java.util.LinkedHashMap<>();
      status.put("instance", settings.instance());
      status.put("pid", ProcessHandle.current().pid());
      int code = 200;
      try (StoreReader reader = readers.open()) {
        status.put("data", reader.describe());
      } catch (io.memtrace.collector.CollectorException e) {
        code = 503;
        status.put("error", e.getMessage());
      }
      byte[] body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(status);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  public void start() {
    front.start();
  }

  public int port() {
    return front.address().getPort();
  }

  /** The web view's address with a one-time sign-in token. */
  public URI webSignInUrl() {
    return front.localUrl().resolve("/?token=" + sessions.signInToken());
  }

  @Override
  public void close() {
    front.drain();
    draining.drain(10_000);
    front.close();
    api.close(5_000);
    web.close(5_000);
    mcp.stop();
  }
}
