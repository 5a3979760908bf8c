package io.memtrace.collector.mcp;

import io.memtrace.collector.HttpAnswer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * MCP's Streamable HTTP transport over the collector's own HTTP front, as the SDK's transport abstraction
 * ({@link McpStatelessServerTransport}) lets a server bring its own: each POST of one JSON-RPC message is answered
 * with one JSON body (a request's response; 202 for a notification), with no session and no SSE stream, which the
 * specification allows; a GET, which would open a stream, gets 405. The front has no servlet container, and the SDK's
 * HTTP transports are servlets. The {@code AccessGuard} in front of this handler checks the Host and the API token;
 * this handler refuses, as the specification requires, a request whose {@code Origin} is not this server's own.
 */
public final class McpHttpTransport implements McpStatelessServerTransport, HttpHandler {

  /** The path of the endpoint on serve's port. */
  public static final String PATH = "/mcp";
  /** How long one call may take before its answer is an error: longer than a query's own limit. */
  private static final Duration CALL_LIMIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final McpJsonMapper mapper;
  private volatile McpStatelessServerHandler handler;
  private McpStatelessSyncServer server;

  McpHttpTransport(McpJsonMapper mapper) {
    this.mapper = mapper;
  }

  void server(McpStatelessSyncServer server) {
    this.server = server;
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.empty();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      if (origin != null && !sameOrigin(origin, exchange.getRequestHeaders().getFirst("Host"))) {
        answer(exchange, 403, Map.of("error", "Origin '" + origin + "' is not this collector's own: /mcp answers MCP "
            + "clients and its own pages, never another site's pages"));
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        answer(exchange, 405, Map.of("error", "/mcp takes one JSON-RPC message per POST (Streamable HTTP without a "
            + "stream: every answer is the POST's own body)"));
        return;
      }
      String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT);
      if (!type.startsWith("application/json")) {
        answer(exchange, 415, Map.of("error", "/mcp takes Content-Type: application/json"));
        return;
      }
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      McpSchema.JSONRPCMessage message;
      try {
        message = McpSchema.deserializeJsonRpcMessage(mapper, body);
      } catch (IOException | IllegalArgumentException e) {
        answer(exchange, 400, McpSchema.JSONRPCResponse.error(null, new McpSchema.JSONRPCResponse.JSONRPCError(
            McpSchema.ErrorCodes.PARSE_ERROR, "not one JSON-RPC message: " + e.getMessage())));
        return;
      }
      McpTransportContext context = McpTransportContext.create(Map.of());
      if (message instanceof McpSchema.JSONRPCRequest request) {
        McpSchema.JSONRPCResponse response = handler.handleRequest(context, request)
            .contextWrite(c -> c.put(McpTransportContext.KEY, context)).block(CALL_LIMIT);
        answer(exchange, 200, response);
      } else {
        if (message instanceof McpSchema.JSONRPCNotification notification) {
          handler.handleNotification(context, notification)
              .contextWrite(c -> c.put(McpTransportContext.KEY, context)).block(CALL_LIMIT);
        }
        exchange.sendResponseHeaders(202, -1);
      }
    }
  }

  /** Whether {@code origin} is {@code http(s)://} the host and port the request was sent to. */
  static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = new URI(origin);
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return false;
      }
      String authority = uri.getRawAuthority();
      return authority.equalsIgnoreCase(host.strip());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private void answer(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = body instanceof McpSchema.JSONRPCMessage ? mapper.writeValueAsBytes(body)
        : JSON.writeValueAsBytes(body);
    HttpAnswer.send(exchange, status, HttpAnswer.JSON, bytes);
  }

  /** Stops the SDK's server. */
  public void stop() {
    if (server != null) {
      server.close();
    }
  }
}
