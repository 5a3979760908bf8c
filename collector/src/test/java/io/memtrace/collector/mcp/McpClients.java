package io.memtrace.collector.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The MCP Java SDK's own client, as the tests use it. */
public final class McpClients {

  private McpClients() {
  }

  /** A client of the server it starts with {@code command} (with {@code env} added to its environment), initialized. */
  public static McpSyncClient stdio(List<String> command, Map<String, String> env) {
    ServerParameters server = ServerParameters.builder(command.get(0)).args(command.subList(1, command.size()))
        .env(env).build();
    McpSyncClient client = McpClient.sync(new StdioClientTransport(server, McpServers.mapper()))
        .requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(60)).build();
    client.initialize();
    return client;
  }

  /** A client of {@code /mcp} on {@code server} over Streamable HTTP, with the API token, initialized. */
  public static McpSyncClient http(java.net.URI server, String token) {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(server.toString()).endpoint("/mcp")
            .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization",
                "Bearer " + token)).build())
        .requestTimeout(Duration.ofSeconds(120)).build();
    client.initialize();
    return client;
  }

  /** The text of an answer: every tool answers with one text content. */
  public static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }
}
