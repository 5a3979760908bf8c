package io.memtrace.collector.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.Cli;
import io.memtrace.collector.HostileText;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that prints what spans hold, fed the hostile strings as span names, keys,
 * namespaces, services, attribute values and error messages: nothing a terminal would obey
 * reaches its output, and the JSON forms still read back as the strings sent.
 */
class HostileOutputTest {

  static final String TRACE = "00000000000000000000000000000666";

  @TempDir
  static Path dir;

  @BeforeAll
  static void fill() throws Exception {
    List<Span> spans = new ArrayList<>();
    Span root = SpanFixtures.span(TRACE, null, "aqe.task." + HostileText.RETITLE, 0, 50)
        .addAttributes(SpanFixtures.attr("agent.id", HostileText.CLEAR)).build();
    spans.add(root);
    long offset = 1;
    for (String hostile : HostileText.ALL) {
      Span memory = SpanFixtures.span(TRACE, root.getSpanId(), "aqe.memory.retrieve", offset, 2)
          .addAttributes(SpanFixtures.attr("memory.operation", "retrieve"))
          .addAttributes(SpanFixtures.attr("memory.key", hostile))
          .addAttributes(SpanFixtures.attr("memory.namespace", "ns" + hostile))
          .addAttributes(SpanFixtures.attr("memory.value_size", 10L))
          .addAttributes(SpanFixtures.attr("memory.found", true))
          .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom " + hostile))
          .build();
      spans.add(memory);
      spans.add(SpanFixtures.span(TRACE, memory.getSpanId(), "GET", offset, 1)
          .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
          .addAttributes(SpanFixtures.attr("db.system.name", "redis"))
          .addAttributes(SpanFixtures.attr("db.operation.name", "GET" + hostile))
          .addAttributes(SpanFixtures.attr("memory.key", "ns:" + hostile)).build());
      offset += 3;
    }
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, SpanFixtures.request("svc" + HostileText.CLIPBOARD, spans));
    }
  }

  @Test
  void shouldShowControlCharactersInTheTraceTimelineAsEscapes() {
    Cli result = Cli.run("traces", "--data", dir.toString(), "--trace", TRACE, "--width", "200");
    assertThat(result.exitCode).as("%s", result).isZero();
    assertClean(result.out, true);
    assertThat(result.out).contains("aqe.task.\\x1b]2;pwned\\x07").contains("report\\u202etxt.exe")
        .contains("line1\\nINJECTED: fake line\\r\\x08").contains("\\u009b2J");
    assertThat(result.out.lines().filter(l -> l.startsWith("│")).map(String::length).distinct())
        .as("escapes are counted in the width, so the box still lines up").hasSize(1);
  }

  @Test
  void shouldShowControlCharactersInQueryTablesAndCsv() {
    String sql = "SELECT name, memory_key, attributes['db.operation.name'] AS op, service_name FROM spans ORDER BY start_time";
    for (String format : List.of("table", "csv")) {
      Cli result = Cli.run("query", "--data", dir.toString(), "--format", format, sql);
      assertThat(result.exitCode).as("%s", result).isZero();
      assertClean(result.out, true);
      assertThat(result.out).as(format).contains("\\x1b[2J").contains("\\x1b]52;c;cm0gLXJmIH4=\\x07");
      assertThat(result.out.lines().count()).as("%s: one line per row, a header (and a rule)", format)
          .isLessThanOrEqualTo(1 + 2 * HostileText.ALL.size() + 1 + 2L);
    }
  }

  @Test
  void shouldEscapeControlCharactersInJsonSoThatTheyReadBackUnchanged() throws Exception {
    Cli result = Cli.run("query", "--data", dir.toString(), "--format", "json",
        "SELECT memory_key FROM spans WHERE name = 'aqe.memory.retrieve' ORDER BY start_time");
    assertClean(result.out, true);
    JsonNode rows = new ObjectMapper().readTree(result.out);
    List<String> keys = new ArrayList<>();
    rows.forEach(r -> keys.add(r.get("memory_key").textValue()));
    assertThat(keys).containsExactlyElementsOf(HostileText.ALL);
  }

  @Test
  void shouldShowControlCharactersInTheReport() throws Exception {
    Cli markdown = Cli.run("report", "--query-timeout", "10m", "--data", dir.toString());
    assertThat(markdown.exitCode).as("%s", markdown).isZero();
    assertClean(markdown.out, true);
    assertThat(markdown.out).contains("\\x1b]2;pwned\\x07");
    Cli json = Cli.run("report", "--query-timeout", "10m", "--data", dir.toString(), "--format", "json");
    assertClean(json.out, true);
    assertThat(new ObjectMapper().readTree(json.out).toString()).contains(HostileText.BIDI);
  }

  /** The corpus the web view's browser test loads, imported as a user would: every command stays clean. */
  @Test
  void shouldKeepTheWebViewsHostileCorpusOffTheTerminal(@TempDir Path other) throws Exception {
    // import reads the file exporter's format, one request a line; the corpus is kept pretty-printed
    Path corpus = other.resolve("web-spans.jsonl");
    java.nio.file.Files.writeString(corpus, new ObjectMapper().readTree(
        Path.of("src/test/resources/hostile/web-spans.json").toFile()).toString() + "\n");
    Cli imported = Cli.run("import", "--data", other.resolve("data").toString(), corpus.toString());
    assertThat(imported.exitCode).as("%s", imported).isZero();
    List<Cli> outputs = List.of(Cli.run("traces", "--data", other.resolve("data").toString(), "--last", "5"),
        Cli.run("query", "--data", other.resolve("data").toString(), "SELECT * EXCLUDE (events) FROM spans"),
        Cli.run("query", "--data", other.resolve("data").toString(), "--format", "csv", "SELECT * FROM spans"),
        Cli.run("report", "--query-timeout", "10m", "--data", other.resolve("data").toString(), "--layer", "redis"),
        Cli.run("report", "--query-timeout", "10m", "--data", other.resolve("data").toString(), "--format", "json"));
    for (Cli output : outputs) {
      assertThat(output.exitCode).as("%s", output).isZero();
      assertClean(output.out, true);
      assertClean(output.err, true);
    }
    assertThat(outputs.get(0).out).contains("\\x1b]2;pwned\\x07title");
  }

  @Test
  void shouldShowControlCharactersInErrorMessages() {
    Cli result = Cli.run("query", "--data", dir.toString(), "SELECT * FROM \"no" + HostileText.RETITLE + "\"");
    assertThat(result.exitCode).isEqualTo(1);
    assertClean(result.err, true);
    assertThat(result.err).contains("\\x1b]2;pwned\\x07");
  }

  private static void assertClean(String out, boolean newlinesAllowed) {
    int at = HostileText.firstHidden(out, newlinesAllowed);
    assertThat(at).as("a character a terminal would obey, at %d in:\n%s", at, out).isEqualTo(-1);
  }
}
