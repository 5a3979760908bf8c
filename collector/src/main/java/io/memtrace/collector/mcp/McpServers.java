package io.memtrace.collector.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * memtrace's tools ({@link MemtraceTools}) as an MCP server on the official MCP Java SDK: over stdio for a desktop
 * assistant that starts {@code memtrace-collector mcp} itself, and over Streamable HTTP at {@code /mcp} on serve's port
 * ({@link McpHttpTransport}), where the SDK's stateless server answers each POST on its own.
 */
public final class McpServers {

  /** The server's name in the handshake. */
  public static final String NAME = "memtrace";

  static final String INSTRUCTIONS = "memtrace traces an application's memory (memory-manager calls, Redis commands, "
      + "model calls and the records in their prompts). To answer 'why did my agent forget X?': memory_overview, then "
      + "find_traces, then trace_memory on the trace; key_timeline on the key gives the cause (the write, the delete, "
      + "the expiry or eviction, or the coverage gap); model_call_memory shows what a model call was given.";

  private McpServers() {
  }

  static McpJsonMapper mapper() {
    return new JacksonMcpJsonMapper(new ObjectMapper());
  }

  private static String version() {
    String v = McpServers.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  private static McpSchema.ServerCapabilities capabilities() {
    return McpSchema.ServerCapabilities.builder().tools(false).build();
  }

  /** The SDK's description of a tool: read-only, idempotent, closed world (it reads this store only). */
  static McpSchema.Tool described(MemtraceTools.Listed tool) {
    return McpSchema.Tool.builder().name(tool.name()).title(tool.name().replace('_', ' '))
        .description(tool.description()).inputSchema(tool.inputSchema())
        .annotations(new McpSchema.ToolAnnotations(tool.name().replace('_', ' '), true, false, true, false, null))
        .build();
  }

  static McpSchema.CallToolResult result(MemtraceTools.Answer answer) {
    return McpSchema.CallToolResult.builder().addTextContent(answer.text()).isError(answer.error()).build();
  }

  // validateToolInputs(false) on both servers: the tools check their arguments themselves (ToolArguments), with
  // messages that say how to correct the call, and one voice for every bad argument over either transport

  /**
   * Serves {@code tools} over stdio until {@code in} ends (the assistant closed the pipe), then closes. Nothing else may
   * write to {@code out}: the caller sends its own messages to stderr.
   */
  public static void serveStdio(MemtraceTools tools, InputStream in, OutputStream out) throws InterruptedException {
    CountDownLatch ended = new CountDownLatch(1);
    InputStream watched = new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        return ended(super.read());
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return ended(super.read(b, off, len));
      }

      private int ended(int n) {
        if (n < 0) {
          ended.countDown();
        }
        return n;
      }
    };
    List<McpServerFeatures.SyncToolSpecification> specs = tools.list().stream()
        .map(t -> McpServerFeatures.SyncToolSpecification.builder().tool(described(t))
            .callHandler((exchange, request) -> result(tools.call(request.name(), request.arguments()))).build())
        .toList();
    McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(mapper(), watched, out))
        .serverInfo(NAME, version()).instructions(INSTRUCTIONS).capabilities(capabilities()).validateToolInputs(false)
        .tools(specs).build();
    try {
      ended.await();
    } finally {
      server.closeGracefully();
    }
  }

  /** The Streamable HTTP endpoint: the transport, with the SDK's stateless server answering through it. */
  public static McpHttpTransport http(MemtraceTools tools) {
    McpHttpTransport transport = new McpHttpTransport(mapper());
    List<McpStatelessServerFeatures.SyncToolSpecification> specs = tools.list().stream()
        .map(t -> McpStatelessServerFeatures.SyncToolSpecification.builder().tool(described(t))
            .callHandler((context, request) -> result(tools.call(request.name(), request.arguments()))).build())
        .toList();
    McpStatelessSyncServer server = McpServer.sync(transport).serverInfo(NAME, version()).instructions(INSTRUCTIONS)
        .capabilities(capabilities()).validateToolInputs(false).tools(specs).build();
    transport.server(server);
    return transport;
  }
}
