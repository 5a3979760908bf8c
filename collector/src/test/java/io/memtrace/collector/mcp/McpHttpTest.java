package io.memtrace.collector.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /mcp} on a real {@code serve}, asked by the MCP Java SDK's Streamable HTTP client with the API token: every
 * tool, and key_timeline's and model_call_memory's answers against {@code /api/keys/{key}/timeline} and
 * {@code /api/provenance} of the same serve; then the requests it must refuse (no token, a foreign Origin, a GET for a
 * stream), after which the store holds what it held.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
      + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

  private McpProcesses.Serve serve;
  private McpSyncClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    serve = McpProcesses.serve(McpStores.copy(temp.resolve("store")), temp.resolve("serve"));
    client = McpClients.http(serve.url(), McpProcesses.TOKEN);
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.closeGracefully();
    }
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void shouldListTheToolsAndAnswerEveryOne() {
    assertThat(client.getServerInfo().name()).isEqualTo("memtrace");
    McpToolSchemas.check(client.listTools().tools());
    McpStores.goodCalls().forEach((name, arguments) -> {
      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(name, arguments));
      assertThat(result.isError()).as("%s: %s", name, result.content()).isFalse();
      assertThat(McpStdioTest.text(result)).as(name).isNotBlank();
    });
  }

  @Test
  void shouldGiveWhatTheTimelineAndProvenanceApisGive() throws Exception {
    JsonNode timeline = JSON.readTree(get("/api/keys/" + McpStores.KEY + "/timeline?limit=20").body());
    assertThat(JSON.readTree(McpStdioTest.text(client.callTool(new McpSchema.CallToolRequest("key_timeline",
        Map.of("key", McpStores.KEY, "format", "json")))))).isEqualTo(timeline);

    // the provenance API is asked over the trace's first and last span start, as the web view asks it
    JsonNode view = JSON.readTree(get("/api/view/trace?trace=" + McpStores.CALL_TRACE).body());
    int start = 0;
    while (!view.path("columns").get(start).toString().contains("\"start_us\"")) {
      start++;
    }
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (JsonNode span : view.path("rows")) {
      from = Math.min(from, span.get(start).asLong());
      to = Math.max(to, span.get(start).asLong());
    }
    JsonNode provenance = JSON.readTree(get("/api/provenance?trace=" + McpStores.CALL_TRACE + "&from=" + from + "&to="
        + to).body());
    JsonNode answer = JSON.readTree(McpStdioTest.text(client.callTool(new McpSchema.CallToolRequest(
        "model_call_memory", Map.of("trace_id", McpStores.CALL_TRACE, "format", "json")))));
    assertThat(provenance.path("calls")).hasSize(2);
    assertThat(answer.path("calls")).isEqualTo(provenance.path("calls"));
  }

  @Test
  void shouldRefuseWithoutTheTokenFromAForeignOriginAndAStream() throws Exception {
    long spans = spans();
    HttpResponse<String> noToken = post(INITIALIZE, Map.of());
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.body()).contains("Authorization: Bearer");
    HttpResponse<String> wrongToken = post(INITIALIZE, Map.of("Authorization", "Bearer not-the-token-at-all-0000"));
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    HttpResponse<String> foreign = post(INITIALIZE, Map.of("Authorization", "Bearer " + McpProcesses.TOKEN,
        "Origin", "http://evil.example"));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("Origin 'http://evil.example' is not this collector's own");
    HttpResponse<String> own = post(INITIALIZE, Map.of("Authorization", "Bearer " + McpProcesses.TOKEN,
        "Origin", serve.url().toString()));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    HttpResponse<String> stream = http.send(HttpRequest.newBuilder(serve.url().resolve("/mcp"))
        .header("Authorization", "Bearer " + McpProcesses.TOKEN).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stream.statusCode()).isEqualTo(405);
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(serve.url().resolve("/mcp"))
        .header("Authorization", "Bearer " + McpProcesses.TOKEN).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(415);
    McpSchema.CallToolResult write = client.callTool(new McpSchema.CallToolRequest("query",
        Map.of("sql", "INSERT INTO span_store SELECT * FROM span_store")));
    assertThat(write.isError()).isTrue();
    assertThat(spans()).as("nothing was written").isEqualTo(spans);
  }

  private long spans() throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(serve.url().resolve("/api/query"))
        .header("Authorization", "Bearer " + McpProcesses.TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"SELECT count(*) AS n FROM spans\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(answer.body()).path("rows").get(0).get(0).asLong();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(serve.url().resolve(path)).header("Authorization", "Bearer "
        + McpProcesses.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serve.url() + "/mcp"))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
