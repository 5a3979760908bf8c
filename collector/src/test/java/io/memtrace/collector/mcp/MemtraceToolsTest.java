package io.memtrace.collector.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.provenance.ModelCallFixtures;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.timeline.TimelineText;
import io.memtrace.collector.web.ProvenanceApi;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools in this JVM, on the demo-like store ({@link McpStores}): each answers, within its bound; key_timeline and
 * model_call_memory give what timeline and the provenance API give; every bad argument is a tool error that names it,
 * and nothing changes in the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemtraceToolsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Path dir;
  private MemtraceTools tools;

  @BeforeAll
  void openTheStore(@TempDir Path temp) throws Exception {
    dir = McpStores.copy(temp.resolve("store"));
    tools = new MemtraceTools(new ToolContext(() -> EmbeddedReader.local(new StoreFiles(dir)), ModelCallFixtures.RULE,
        dir));
  }

  private StoreReader reader() {
    return EmbeddedReader.local(new StoreFiles(dir));
  }

  @Test
  void shouldAnswerEveryToolWithinItsBound() {
    McpStores.goodCalls().forEach((name, arguments) -> {
      MemtraceTools.Answer answer = tools.call(name, arguments);
      assertThat(answer.error()).as("%s: %s", name, answer.text()).isFalse();
      assertThat(answer.text()).as(name).isNotBlank().hasSizeLessThanOrEqualTo(MemtraceTools.MAX_CHARS);
    });
  }

  @Test
  void shouldGiveKeyTimelineAsTimelineGivesIt() {
    String expected;
    String json;
    try (StoreReader reader = reader()) {
      expected = TimelineText.text(reader.timeline(new TimelineRequest(McpStores.KEY, null, null, 20)));
      json = TimelineText.json(reader.timeline(new TimelineRequest(McpStores.KEY, null, null, 20)));
    }
    assertThat(tools.call("key_timeline", Map.of("key", McpStores.KEY)).text()).isEqualTo(expected)
        .contains("why: ", "evicted", "expired");
    assertThat(tools.call("key_timeline", Map.of("key", McpStores.KEY, "format", "json")).text()).isEqualTo(json);
  }

  @Test
  void shouldGiveModelCallMemoryAsTheProvenanceApiGivesIt() throws Exception {
    JsonNode expected;
    try (StoreReader reader = reader()) {
      // the trace's first and last span start, as the web view asks the provenance API
      expected = JSON.readTree(JSON.writeValueAsString(ProvenanceApi.calls(reader.modelCalls(McpStores.CALL_TRACE,
          io.memtrace.collector.SpanFixtures.T0 / 1000 + 100_000, io.memtrace.collector.SpanFixtures.T0 / 1000 + 320_000,
          ModelCallFixtures.RULE))));
    }
    JsonNode answer = JSON.readTree(tools.call("model_call_memory", Map.of("trace_id", McpStores.CALL_TRACE,
        "format", "json")).text());
    assertThat(answer.path("calls")).isEqualTo(expected);
    String text = tools.call("model_call_memory", Map.of("trace_id", McpStores.CALL_TRACE)).text();
    assertThat(text).contains("STALE: rewritten by other-svc", "CROSS-TENANT", "memory: unknown");
  }

  @Test
  void shouldShowTheTraceAsATreeAndSayWhenItIsCut() {
    String whole = tools.call("trace_memory", Map.of("trace_id", McpStores.CALL_TRACE)).text();
    assertThat(whole).contains("assistant.turn", "chat gpt-4o", "memory: 3 records").doesNotContain("cut:");
    String cut = tools.call("trace_memory", Map.of("trace_id", McpStores.CALL_TRACE, "limit", 2)).text();
    assertThat(cut).contains("cut: 2 of 8 spans shown", "past limit 2");
  }

  @Test
  void shouldRefuseEachBadArgumentWithAnErrorNamingIt() throws Exception {
    long spans = spans();
    assertError(tools.call("no_such_tool", Map.of()), "no tool named 'no_such_tool'");
    assertError(tools.call("trace_memory", Map.of("trace_id", "xyz")), "trace_id is a trace id of 32 hex digits");
    assertError(tools.call("trace_memory", Map.of("trace_id", "ffffffffffffffffffffffffffffffff")), "no trace");
    assertError(tools.call("find_traces", Map.of("since", "last tuesday")), "since is a time in RFC 3339");
    assertError(tools.call("key_timeline", Map.of("key", McpStores.KEY, "limit", 101)), "limit is from 1 to 100, not 101");
    assertError(tools.call("key_timeline", Map.of("key", McpStores.KEY, "colour", "red")), "takes no argument colour");
    assertError(tools.call("query", Map.of("sql", "DELETE FROM spans")), "read-only");
    assertError(tools.call("query", Map.of("sql", "CREATE TABLE x AS SELECT 1")), "read-only");
    assertError(tools.call("model_call_memory", Map.of("trace_id", "00000c01")), "32 hex digits");
    assertThat(spans()).as("nothing was written").isEqualTo(spans);
  }

  @Test
  void shouldCutAnAnswerPastTheBoundAtALineAndSaySo() {
    String cut = MemtraceTools.bounded("a line of forty characters, or so it is\n".repeat(2000));
    assertThat(cut).hasSizeLessThanOrEqualTo(MemtraceTools.MAX_CHARS).endsWith("narrower question\n")
        .contains("cut: the answer was 80000 characters");
  }

  private long spans() {
    try (StoreReader reader = reader()) {
      return reader.query("SELECT count(*) AS n FROM spans").number(0, "n");
    }
  }

  private static void assertError(MemtraceTools.Answer answer, String says) {
    assertThat(answer.error()).as(answer.text()).isTrue();
    assertThat(answer.text()).contains(says);
  }
}
