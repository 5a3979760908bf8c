package io.memtrace.collector.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.testsupport.ForkedJvm;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memtrace-collector mcp --data DIR} as an assistant starts it: a real process on stdin and stdout, asked by
 * the MCP Java SDK's own client. The handshake, the tools and their schemas, every tool on the demo-like store, and
 * key_timeline's answer against what {@code timeline} prints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpStdioTest {

  private Path dir;
  private Path work;
  private McpSyncClient client;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    work = temp;
    dir = McpStores.copy(temp.resolve("store"));
    client = McpClients.stdio(McpProcesses.mcpCommand("--data", dir.toString()), Map.of());
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
  }

  @Test
  void shouldIntroduceItselfAsMemtraceWithTools() {
    assertThat(client.getServerInfo().name()).isEqualTo("memtrace");
    assertThat(client.getServerCapabilities().tools()).isNotNull();
    assertThat(client.getServerInstructions()).contains("why did my agent forget X?");
  }

  @Test
  void shouldListTheSevenToolsInOrderWithTheirSchemas() {
    List<McpSchema.Tool> tools = client.listTools().tools();
    McpToolSchemas.check(tools);
  }

  @Test
  void shouldAnswerEveryTool() {
    McpStores.goodCalls().forEach((name, arguments) -> {
      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(name, arguments));
      assertThat(result.isError()).as("%s: %s", name, result.content()).isFalse();
      assertThat(text(result)).as(name).isNotBlank().hasSizeLessThanOrEqualTo(MemtraceTools.MAX_CHARS);
    });
  }

  @Test
  void shouldGiveKeyTimelineAsTheTimelineCommandPrintsIt() throws Exception {
    ForkedJvm.Result timeline = McpProcesses.cli("timeline", "--key", McpStores.KEY, "--data", dir.toString(),
        "--limit", "20").run(work.resolve("timeline"));
    assertThat(timeline.exitCode).as("%s", timeline).isZero();

    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("key_timeline",
        Map.of("key", McpStores.KEY)));
    assertThat(text(result)).isEqualTo(timeline.stdout).contains("why: evicted at");
  }

  @Test
  void shouldAnswerBadCallsWithErrorsThatNameTheProblem() {
    // an unknown tool is the protocol's own error (invalid params, -32602), the name in its data
    assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("no_such_tool", Map.of())))
        .isInstanceOfSatisfying(McpError.class, e -> assertThat(e.getJsonRpcError().code()).isEqualTo(-32602))
        .satisfies(e -> assertThat(String.valueOf(((McpError) e).getJsonRpcError().data())).contains("no_such_tool"));
    McpSchema.CallToolResult bad = client.callTool(new McpSchema.CallToolRequest("trace_memory",
        Map.of("trace_id", "not-a-trace")));
    assertThat(bad.isError()).isTrue();
    assertThat(text(bad)).contains("trace_id is a trace id of 32 hex digits", "not-a-trace");
    McpSchema.CallToolResult write = client.callTool(new McpSchema.CallToolRequest("query",
        Map.of("sql", "DROP TABLE span_store")));
    assertThat(write.isError()).isTrue();
    assertThat(text(write)).contains("read-only");
  }

  static String text(McpSchema.CallToolResult result) {
    return McpClients.text(result);
  }
}
