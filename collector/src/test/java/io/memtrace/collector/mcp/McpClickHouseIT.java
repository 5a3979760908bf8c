package io.memtrace.collector.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.reader.ClickHouseReader;
import io.memtrace.collector.clickhouse.reader.FleetFront;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.provenance.ModelCallFixtures;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.ContractCorpus;
import io.memtrace.collector.reader.TimelineFixtures;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools against ClickHouse 26.9 (chDB behind the test front), the spans written into {@code otel_traces} as the
 * OpenTelemetry Collector's exporter writes them: {@code mcp --clickhouse URL} as a real process asked by the SDK's
 * Java client (every tool answers), and the tools' answers on ClickHouse against the same tools on an embedded store
 * of the same spans (key_timeline's and model_call_memory's the same).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpClickHouseIT {

  private ChdbFront front;
  private ClickHouseUrl url;
  private MemtraceTools fleet;
  private MemtraceTools embedded;

  @BeforeAll
  void load(@TempDir Path dir) throws Exception {
    // built once: span ids are made as the payloads are built, so both stores get these same ones
    List<ExportTraceServiceRequest> payloads = new ArrayList<>(ContractCorpus.payloads());
    payloads.addAll(List.of(ModelCallFixtures.writer(), ModelCallFixtures.turn(), ModelCallFixtures.rewriter()));
    payloads.addAll(TimelineFixtures.spans());
    front = ChdbFront.start(dir.resolve("chdb"));
    url = FleetFront.load(front, payloads);
    fleet = new MemtraceTools(new ToolContext(() -> ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD),
        ModelCallFixtures.RULE, null));
    Path store = dir.resolve("embedded");
    TestStores.fill(store, payloads.toArray(new ExportTraceServiceRequest[0]));
    embedded = new MemtraceTools(new ToolContext(() -> EmbeddedReader.local(new StoreFiles(store)),
        ModelCallFixtures.RULE, store));
  }

  @AfterAll
  void stop() throws Exception {
    if (front != null) {
      front.close();
    }
  }

  @Test
  void shouldAnswerEveryToolOverStdioFromClickHouse() {
    McpSyncClient client = McpClients.stdio(McpProcesses.mcpCommand("--clickhouse", front.url("fleet")),
        Map.of(ClickHouseUrl.USER_ENV, front.user(), ClickHouseUrl.PASSWORD_ENV, front.password()));
    try {
      McpToolSchemas.check(client.listTools().tools());
      McpStores.goodCalls().forEach((name, arguments) -> {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(name, arguments));
        assertThat(result.isError()).as("%s: %s", name, result.content()).isFalse();
        assertThat(McpStdioTest.text(result)).as(name).isNotBlank();
      });
      McpSchema.CallToolResult write = client.callTool(new McpSchema.CallToolRequest("query",
          Map.of("sql", "DROP TABLE otel_traces")));
      assertThat(write.isError()).isTrue();
      assertThat(McpStdioTest.text(write)).contains("readonly");
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void shouldAnswerTheQueryTiersMcpAndThePythonClientFromClickHouse(@TempDir Path temp) throws Exception {
    Map<String, String> credentials = Map.of(ClickHouseUrl.USER_ENV, front.user(), ClickHouseUrl.PASSWORD_ENV,
        front.password());
    try (McpProcesses.Serve tier = McpProcesses.serve(temp.resolve("tier"), credentials, "--clickhouse",
        front.url("fleet"), "--data", temp.resolve("tier-data").toString())) {
      McpSyncClient client = McpClients.http(tier.url(), McpProcesses.TOKEN);
      try {
        McpToolSchemas.check(client.listTools().tools());
        McpStores.goodCalls().forEach((name, arguments) -> {
          McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(name, arguments));
          assertThat(result.isError()).as("%s: %s", name, result.content()).isFalse();
        });
      } finally {
        client.closeGracefully();
      }
      McpPythonClientTest.check(McpPythonClientTest.run(List.of("http", McpPythonClientTest.calls(),
          tier.url() + "/mcp", McpProcesses.TOKEN), temp));
    }
    // and over stdio, the Python client starting mcp --clickhouse itself with the credentials in its environment
    List<String> command = new ArrayList<>(List.of("stdio", McpPythonClientTest.calls(), "env",
        ClickHouseUrl.USER_ENV + "=" + front.user(), ClickHouseUrl.PASSWORD_ENV + "=" + front.password()));
    command.addAll(McpProcesses.mcpCommand("--clickhouse", front.url("fleet")));
    McpPythonClientTest.check(McpPythonClientTest.run(command, temp));
  }

  /** A timeline's text as its lines, sorted: the same events and lines, in whatever order equal times came. */
  private static List<String> lines(String timeline) {
    List<String> lines = new ArrayList<>(List.of(timeline.split("\n")));
    lines.sort(null);
    assertThat(lines).hasSizeGreaterThan(30);
    return lines;
  }

  @Test
  void shouldGiveTheEmbeddedStoresAnswersForTheSameSpans() {
    // user:1, read by another language's statements (ioredis), is left out: there the embedded store names the command
    // and database as the statement wrote them ("get", none) and ClickHouse as normalized ("GET", 0)
    for (Map<String, Object> arguments : List.<Map<String, Object>>of(Map.of("key", "plans:plan-a"),
        Map.of("key", "plans:plan-a", "format", "json"), Map.of("key", "plan-b"))) {
      assertThat(fleet.call("key_timeline", arguments)).as("%s", arguments)
          .isEqualTo(embedded.call("key_timeline", arguments));
    }
    // plan-a has two reads that began in the same microsecond (of two traces): the stores list them, and the reads
    // under the write they saw, in another order, so its lines are compared in any order
    assertThat(lines(fleet.call("key_timeline", Map.of("key", McpStores.KEY)).text()))
        .isEqualTo(lines(embedded.call("key_timeline", Map.of("key", McpStores.KEY)).text()));
    for (String format : List.of("text", "json")) {
      Map<String, Object> arguments = Map.of("trace_id", McpStores.CALL_TRACE, "format", format);
      assertThat(fleet.call("model_call_memory", arguments)).isEqualTo(embedded.call("model_call_memory", arguments));
    }
    assertThat(fleet.call("model_call_memory", Map.of("trace_id", McpStores.CALL_TRACE)).text())
        .contains("STALE: rewritten by other-svc", "CROSS-TENANT");
  }
}
