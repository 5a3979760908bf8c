package io.memtrace.collector.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.McpVenv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference Python MCP client (PyPI's {@code mcp}, in a venv the test makes once per machine) against both
 * transports: it starts {@code memtrace-collector mcp --data DIR} itself over stdio, and speaks Streamable HTTP to
 * {@code /mcp} of a real serve. Each time: the handshake, the seven tools with their schemas, every tool's answer,
 * and a bad call of each kind answered with an error that names the problem.
 */
class McpPythonClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CLIENT = Path.of("src/test/resources/mcp/client.py");

  @Test
  void shouldServeThePythonClientOverStdio(@TempDir Path temp) throws Exception {
    Path dir = McpStores.copy(temp.resolve("store"));
    List<String> command = new ArrayList<>(List.of("stdio", calls()));
    command.addAll(McpProcesses.mcpCommand("--data", dir.toString()));
    check(run(command, temp));
  }

  @Test
  void shouldServeThePythonClientOverStreamableHttp(@TempDir Path temp) throws Exception {
    try (McpProcesses.Serve serve = McpProcesses.serve(McpStores.copy(temp.resolve("store")), temp.resolve("serve"))) {
      check(run(List.of("http", calls(), serve.url() + "/mcp", McpProcesses.TOKEN), temp));
    }
  }

  /** Every good call, then one bad call of each kind. */
  static String calls() throws Exception {
    List<List<Object>> calls = new ArrayList<>();
    McpStores.goodCalls().forEach((name, arguments) -> calls.add(List.of(name, arguments)));
    calls.add(List.of("no_such_tool", Map.of()));
    calls.add(List.of("trace_memory", Map.of("trace_id", "not-a-trace")));
    calls.add(List.of("find_traces", Map.of("since", "the day before")));
    calls.add(List.of("query", Map.of("sql", "SELECT 1", "limit", 10_000)));
    calls.add(List.of("query", Map.of("sql", "UPDATE span_store SET name = 'x'")));
    return JSON.writeValueAsString(calls);
  }

  static void check(JsonNode answer) {
    assertThat(answer.path("server").asText()).isEqualTo("memtrace");
    List<String> names = new ArrayList<>();
    answer.path("tools").forEach(t -> {
      names.add(t.path("name").asText());
      assertThat(t.path("readOnly").asBoolean()).isTrue();
      assertThat(t.path("inputSchema").path("type").asText()).isEqualTo("object");
    });
    assertThat(names).containsExactlyElementsOf(McpToolSchemas.NAMES);
    JsonNode answers = answer.path("answers");
    for (String tool : McpToolSchemas.NAMES) {
      assertThat(answers.path(tool).path("error").asBoolean()).as("%s: %s", tool, answers.path(tool)).isFalse();
      assertThat(answers.path(tool).path("text").asText()).as(tool).isNotBlank();
    }
    assertThat(answers.path("key_timeline").path("text").asText()).contains("why: ");
    assertThat(answers.path("no_such_tool").path("error").asBoolean()).isTrue();
    assertThat(answers.path("no_such_tool").path("text").asText()).contains("Unknown tool");
    assertError(answers, "trace_memory#", "trace_id is a trace id of 32 hex digits");
    assertError(answers, "find_traces#", "since is a time in RFC 3339");
    assertError(answers, "query#", "limit is from 1 to 500, not 10000");
    // the embedded store's guard says read-only, ClickHouse's own readonly setting readonly
    assertError(answers, "query#", "UPDATE span_store", "read-only", "readonly");
  }

  private static void assertError(JsonNode answers, String prefix, String says) {
    assertError(answers, prefix, null, says);
  }

  /** One answer of a call named {@code prefix} says one of {@code says}, and is an error. */
  private static void assertError(JsonNode answers, String prefix, String what, String... says) {
    List<JsonNode> errors = new ArrayList<>();
    answers.fields().forEachRemaining(e -> {
      String text = e.getValue().path("text").asText();
      if (e.getKey().startsWith(prefix) && java.util.Arrays.stream(says).anyMatch(text::contains)) {
        errors.add(e.getValue());
      }
    });
    assertThat(errors).as("%s %s %s in %s", prefix, what, List.of(says), answers).hasSize(1);
    assertThat(errors.get(0).path("error").asBoolean()).isTrue();
  }

  static JsonNode run(List<String> args, Path dir) throws Exception {
    List<String> command = new ArrayList<>(List.of(McpVenv.python().toString(), CLIENT.toAbsolutePath().toString()));
    command.addAll(args);
    Path out = dir.resolve("client-out.json");
    Path err = dir.resolve("client-err.txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the Python client took over 180 s: " + Files.readString(err));
    }
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    return JSON.readTree(Files.readString(out));
  }
}
