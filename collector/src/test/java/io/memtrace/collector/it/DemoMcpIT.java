package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.mcp.McpClients;
import io.memtrace.collector.mcp.McpServers;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docs/mcp.md's worked session on the demo's own store: the demo under the real agent, its spans loaded by the real
 * collector jar ({@code import}), and {@code mcp --data DIR} of that jar asked by the MCP Java SDK's client, call by
 * call as the page asks: the overview, the planner's conversation, its model calls, the record they read and its
 * versions, with the user's last message in the version the second call's read saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoMcpIT {

  private static final Path WORK = BuildPaths.IT_WORK.resolve("demo-mcp");
  private static final String PLANNER_KEY = "aqe/planner:planning-user-service";

  private Path data;
  private McpSyncClient client;

  @BeforeAll
  void runTheDemoAndServeItsStore() throws Exception {
    assertThat(CollectorProcess.JAR).as("the collector jar, packaged before the integration tests").isRegularFile();
    Files.createDirectories(WORK);
    Path spans = WORK.resolve("spans-" + System.nanoTime() + ".jsonl");
    data = WORK.resolve("data-" + System.nanoTime());
    succeeded(ForkedJvm.jar(BuildPaths.DEMO_JAR).withAgent("config=" + BuildPaths.DEMO_CONFIG)
        .tracesTo(spans).run(WORK.resolve("demo")));
    succeeded(CollectorProcess.command("import", spans.toString(), "--data", data.toString()));
    client = McpClients.stdio(List.of(BuildPaths.JAVA.toString(), "-jar", CollectorProcess.JAR.toString(), "mcp",
        "--data", data.toString()), Map.of());
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
  }

  @Test
  void shouldWalkTheWorkedSessionOnTheDemosStore() throws Exception {
    assertThat(client.getServerInfo().name()).isEqualTo(McpServers.NAME);
    assertThat(call("memory_overview", Map.of())).contains("planning-user-service", "model calls: 2 calls");

    String found = call("find_traces", Map.of("conversation", "planning-user-service"));
    Matcher id = Pattern.compile("\\b[0-9a-f]{32}\\b").matcher(found);
    assertThat(id.find()).as(found).isTrue();
    String trace = id.group();
    assertThat(found).contains("2 model calls");

    String calls = call("model_call_memory", Map.of("trace_id", trace));
    assertThat(calls).contains("model call 2 of 2: chat demo-planner", PLANNER_KEY, "100% of the prompt")
        .doesNotContain("STALE");
    assertThat(call("trace_memory", Map.of("trace_id", trace))).contains("chat demo-planner",
        "memory: 1 record, 100% of the prompt");
    assertThat(call("key_timeline", Map.of("key", PLANNER_KEY, "limit", 4))).contains("saw the write of trace " + trace);
    assertThat(call("key_timeline", Map.of("key", PLANNER_KEY, "versions", true, "limit", 2)))
        .contains("Two tests failed on the last run. What now?");
    assertThat(call("memory_as_of", Map.of("at", trace, "namespace", "aqe/planner"))).contains("memory as of",
        "nothing was written");
    assertThat(call("query", Map.of("sql", "SELECT count(*) AS n FROM spans"))).contains("(1 row)");
  }

  @Test
  void shouldGiveTheLoginStatesTimelineAsTheTimelineCommandPrintsIt() throws Exception {
    ForkedJvm.Result timeline = succeeded(CollectorProcess.command("timeline", "--key", "cache:oauth-state", "--data",
        data.toString()));
    assertThat(call("key_timeline", Map.of("key", "cache:oauth-state"))).isEqualTo(timeline.stdout)
        .contains("read nothing", "why: ");
  }

  private String call(String tool, Map<String, Object> arguments) {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    String text = McpClients.text(result);
    assertThat(result.isError()).as("%s: %s", tool, text).isFalse();
    return text;
  }

  private static ForkedJvm.Result succeeded(ForkedJvm.Result run) {
    assertThat(run.exitCode).as("%s", run).isZero();
    return run;
  }
}
