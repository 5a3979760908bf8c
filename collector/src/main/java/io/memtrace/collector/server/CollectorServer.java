package io.memtrace.collector.server;

import io.memtrace.collector.embedded.ServerReaders;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.ingest.IngestListener;
import io.memtrace.collector.ingest.IngestStats;
import io.memtrace.collector.ingest.OtlpGrpcService;
import io.memtrace.collector.ingest.OtlpHandler;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.mcp.McpHttpTransport;
import io.memtrace.collector.mcp.McpRoute;
import io.memtrace.collector.mcp.MemtraceTools;
import io.memtrace.collector.mcp.ToolContext;
import io.memtrace.collector.keyspace.KeyspaceApiHandler;
import io.memtrace.collector.query.QueryApiHandler;
import io.memtrace.collector.server.http.FrontLimits;
import io.memtrace.collector.server.http.HttpFront;
import io.memtrace.collector.server.http.Lane;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.web.ProvenanceApi;
import io.memtrace.collector.web.ReportApi;
import io.memtrace.collector.web.WebHandler;
import io.memtrace.collector.web.WebSessions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * The HTTP side of {@code serve}: OTLP on {@code /v1/traces} and {@code /v1/metrics}, read-only
 * SQL on {@code /api/query}, counters on {@code /api/status}. Ingest and the API run on lanes of
 * their own, so no query, however slow, takes a thread that ingest needs; the {@link HttpFront}
 * reads every request whole, under deadlines, before either lane sees it.
 * Every path is behind the {@link AccessGuard}, {@code /api/*} also behind the API token.
 * OTLP/gRPC, when on, has a port of its own ({@link GrpcReceiver}) and shares the ingest lane.
 */
public final class CollectorServer implements AutoCloseable {

  /** Ingest threads: requests wait on the group commit, which batches them, so a few suffice. */
  static final int INGEST_THREADS = 8;
  /** API threads: more than the queries that may run at once, so that /api/status still answers. */
  static final int API_THREADS = 8;
  /** The largest body an API request may have; the query handler refuses past its own, smaller limit. */
  static final long API_MAX_BODY = 2L << 20;

  private final HttpFront front;
  private final Lane ingest = new Lane("memtrace-otlp", INGEST_THREADS, 256);
  private final Lane api = new Lane("memtrace-api", API_THREADS, 32);
  /** The web view's pages and assets: quick answers, on threads no query can hold. */
  private final Lane web = new Lane("memtrace-web", 4, 64);
  private final IngestStats stats = new IngestStats();
  private final Draining draining = new Draining();
  private final WebSessions sessions;
  private final GrpcReceiver grpc;
  private final McpRoute mcp;

  /** @param grpcPort the OTLP/gRPC port (0: any free one), or null for no gRPC receiver */
  public CollectorServer(String bind, int port, Integer grpcPort, long bodyLimit, FrontLimits limits, SpanStore store,
      Forwarder forwarder, IngestListener listener, ApiSettings settings) throws IOException {
    front = new HttpFront(new InetSocketAddress(bind, port), limits);
    try {
      OtlpGrpcService otlp = new OtlpGrpcService(ingest, forwarder);
      grpc = grpcPort == null ? null : new GrpcReceiver(new InetSocketAddress(bind, grpcPort), bodyLimit, limits,
          List.of(otlp.traces(new OtlpIngest(OtlpHandler.Signal.TRACES, store.writer(), listener, stats)),
              otlp.metrics(new OtlpIngest(OtlpHandler.Signal.METRICS, store.writer(), IngestListener.NONE, stats))));
    } catch (IOException e) {
      front.close();
      throw e;
    }
    sessions = new WebSessions(front.address().getPort());
    AccessGuard guard = new AccessGuard(settings.token(), settings.allowedHosts(), sessions);
    front.route("/v1/traces", draining.wrap(guard.open(new OtlpHandler(OtlpHandler.Signal.TRACES, store.writer(),
        bodyLimit, forwarder, listener, stats))), ingest, bodyLimit);
    front.route("/v1/metrics", draining.wrap(guard.open(new OtlpHandler(OtlpHandler.Signal.METRICS, store.writer(),
        bodyLimit, forwarder, IngestListener.NONE, stats))), ingest, bodyLimit);
    QueryApiHandler queries = new QueryApiHandler(store, settings.limits());
    front.route("/api/", draining.wrap(guard.api(StatusHandler::notFound)), api, API_MAX_BODY);
    front.route("/api/query", draining.wrap(guard.api(queries)), api, API_MAX_BODY);
    front.route("/api/status", draining.wrap(guard.api(new StatusHandler(store, stats, forwarder, front,
        settings.instance(), queries))), api, API_MAX_BODY);
    // the web view (issue 30): its page and assets at /, its report beside the other APIs
    ServerReaders readers = new ServerReaders(store, settings.limits());
    front.route("/api/view/", draining.wrap(guard.api(new io.memtrace.collector.web.ViewApi(readers))), api, API_MAX_BODY);
    front.route("/api/report", draining.wrap(guard.api(new ReportApi(readers, settings.tenant()))), api, API_MAX_BODY);
    front.route(io.memtrace.collector.web.TimelineApi.PREFIX, draining.wrap(guard.api(new io.memtrace.collector.web.TimelineApi(readers))), api,
        API_MAX_BODY);
    front.route(io.memtrace.collector.web.AnswersApi.PREFIX, draining.wrap(guard.api(
        new io.memtrace.collector.web.AnswersApi(readers))), api, API_MAX_BODY);
    front.route("/api/provenance", draining.wrap(guard.api(new ProvenanceApi(readers, settings.tenant()))), api, API_MAX_BODY);
    front.route("/api/keyspace", draining.wrap(guard.api(new KeyspaceApiHandler(readers))), api, API_MAX_BODY);
    // MCP for AI assistants (issue 75): the same readers, token and limits as the API above
    mcp = new McpRoute(() -> new MemtraceTools(new ToolContext(readers, settings.tenant(), store.files().dir())));
    front.route(McpHttpTransport.PATH, draining.wrap(guard.api(mcp)), api, API_MAX_BODY);
    front.route("/", draining.wrap(guard.open(new WebHandler(guard, sessions))), web, 64 << 10);
  }

  /** The web view's address with a one-time sign-in token, as {@code serve} prints it. */
  public URI webSignInUrl() {
    return localUrl().resolve("/?token=" + sessions.signInToken());
  }

  public void start() {
    front.start();
  }

  public int port() {
    return front.address().getPort();
  }

  /** The address local commands use; a wildcard bind is still reachable on loopback. */
  public URI localUrl() {
    return front.localUrl();
  }

  /** The OTLP/gRPC port, or -1 when there is no gRPC receiver. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.port();
  }

  public IngestStats stats() {
    return stats;
  }

  /** Lets requests in flight finish (at most ten seconds), refusing new ones, then stops. */
  @Override
  public void close() {
    front.drain();
    if (grpc != null) {
      grpc.refuse();
    }
    draining.drain(10_000);
    if (grpc != null) {
      grpc.close(5_000);
    }
    front.close();
    ingest.close(5_000);
    api.close(5_000);
    web.close(5_000);
    mcp.stop();
  }
}
