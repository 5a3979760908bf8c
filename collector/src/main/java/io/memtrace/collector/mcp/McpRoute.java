package io.memtrace.collector.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * serve's {@code /mcp}: the MCP SDK's server ({@link McpServers#http}) is made at the route's first request. A
 * {@code serve} that no assistant asks never loads the SDK, Reactor and their JSON schema classes: its child JVM loads
 * 3,647 classes instead of 4,262 ({@code -Xlog:class+load}, {@code serve --port 0} started and stopped, 2026-11-30),
 * so it starts and stops on less CPU.
 */
public final class McpRoute implements HttpHandler {
  private final Supplier<MemtraceTools> tools;
  private McpHttpTransport transport;

  /** {@code tools} is called once, at the first request. */
  public McpRoute(Supplier<MemtraceTools> tools) {
    this.tools = tools;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    transport().handle(exchange);
  }

  private synchronized McpHttpTransport transport() {
    if (transport == null) {
      transport = McpServers.http(tools.get());
    }
    return transport;
  }

  /** Stops the SDK's server, where a request made one. */
  public synchronized void stop() {
    if (transport != null) {
      transport.stop();
    }
  }
}
