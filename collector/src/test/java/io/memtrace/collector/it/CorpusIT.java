package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.corpus.Corpus;
import io.memtrace.collector.store.LegacyStores;
import io.memtrace.testsupport.ForkedJvm;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every payload of the malformed-input corpus ({@link Corpus}) through a real {@code serve}: each
 * gets a clear 4xx, or a 200 with its text stored repaired; afterwards the store still answers
 * queries, {@code report} and {@code traces}, compaction empties the ingest table, and
 * {@code serve} starts again on the data directory. Also {@code import} of the corpus, and a
 * store that an older collector left unreadable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorpusIT {

  static final Path CORPUS = Path.of("src/test/resources/corpus");
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final ServedCollector SERVED = new ServedCollector("corpus-it");

  static List<Corpus.Entry> corpus() throws Exception {
    return Corpus.read(CORPUS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  @Order(1)
  void shouldAnswerEachPayloadClearlyAndStoreOnlyValidText(Corpus.Entry entry) throws Exception {
    byte[] body = Files.readAllBytes(CORPUS.resolve(entry.file()));

    HttpResponse<String> answer = SERVED.process().post(entry.path(), entry.contentType(),
        entry.encoding().equals("-") ? null : entry.encoding(), body);

    assertThat(answer.statusCode()).as("%s: %s", entry.file(), answer.body()).isEqualTo(entry.status());
    assertThat(answer.body()).as(entry.file()).contains(entry.answer());
    if (!entry.check().equals("-")) {
      assertThat(value(entry.check().replace("{trace}", entry.trace()))).as(entry.check()).isEqualTo("true");
    }
  }

  @Test
  @Order(2)
  void shouldLeaveEveryStoredRowReadable() throws Exception {
    assertThat(Long.parseLong(value("SELECT count(*) FROM spans"))).isGreaterThan(30);
    assertThat(value("SELECT count(*) = count(attributes::VARCHAR || events::VARCHAR || resource_attributes::VARCHAR)"
        + " FROM spans")).isEqualTo("true");
    assertThat(value("SELECT count(*) = count(json_extract(attributes, '$')) FROM metrics")).isEqualTo("true");
    assertThat(value("SELECT count(*) FROM spans WHERE strpos(attributes::VARCHAR, '\\ud800') > 0")).isEqualTo("0");
    ForkedJvm.Result report = CollectorProcess.command("report", "--data", SERVED.process().data.toString());
    assertThat(report.exitCode).as("%s", report).isZero();
    ForkedJvm.Result traces = CollectorProcess.command("traces", "--data", SERVED.process().data.toString(), "--last", "100");
    assertThat(traces.exitCode).as("%s", traces).isZero();
    JsonNode status = JSON.readTree(SERVED.process().get("/api/status").body());
    assertThat(status.path("text_repaired").asLong()).isGreaterThanOrEqualTo(20);
    assertThat(status.path("rows_set_aside").asLong()).isZero();
  }

  @Test
  @Order(3)
  void shouldMoveEveryRowOutOfTheIngestTable() throws Exception {
    long until = System.nanoTime() + 30_000_000_000L;
    while (!value("SELECT count(*) FROM " + io.memtrace.collector.store.Schema.TAIL).equals("0") && System.nanoTime() < until) {
      Thread.sleep(200);
    }
    assertThat(value("SELECT count(*) FROM " + io.memtrace.collector.store.Schema.TAIL)).as("rows left in span_ingest").isEqualTo("0");
  }

  @Test
  @Order(4)
  void shouldStartAgainOnTheSameDataDirectory() throws Exception {
    String spans = value("SELECT count(*) FROM spans");
    assertThat(SERVED.restart()).isEqualTo(143);
    assertThat(value("SELECT count(*) FROM spans")).isEqualTo(spans);
  }

  @Test
  @Order(5)
  void shouldImportTheAcceptedLinesAndRefuseAFileWithABadOneWhole() throws Exception {
    List<byte[]> accepted = new ArrayList<>();
    byte[] refused = null;
    for (Corpus.Entry e : corpus()) {
      if (e.file().startsWith("json/") && e.contentType().equals("application/json")) {
        byte[] line = Files.readAllBytes(CORPUS.resolve(e.file()));
        if (e.status() == 200) {
          accepted.add(line);
        } else if (refused == null && e.status() == 400 && line.length > 0) {
          refused = line;
        }
      }
    }
    Path good = join(SERVED.dir().resolve("accepted.jsonl"), accepted, null);
    Path data = SERVED.dir().resolve("imported");
    ForkedJvm.Result imported = CollectorProcess.command("import", good.toString(), "--data", data.toString());
    assertThat(imported.exitCode).as("%s", imported).isZero();
    assertThat(imported.stderr).contains("were stored with U+FFFD");
    assertThat(CollectorProcess.command("report", "--data", data.toString()).exitCode).isZero();

    Path bad = join(SERVED.dir().resolve("with-a-bad-line.jsonl"), accepted, refused);
    Path untouched = SERVED.dir().resolve("untouched");
    ForkedJvm.Result refusal = CollectorProcess.command("import", bad.toString(), "--data", untouched.toString());
    assertThat(refusal.exitCode).isEqualTo(1);
    assertThat(refusal.stderr).contains("line " + (accepted.size() / 2 + 1)).contains("nothing was imported");
    assertThat(Files.exists(untouched.resolve("memtrace.duckdb"))).as("no store written").isFalse();
  }

  @Test
  @Order(6)
  void shouldOpenAStoreThatAnOlderCollectorLeftUnreadable() throws Exception {
    Path legacy = SERVED.dir().resolve("legacy");
    LegacyStores.write(legacy);
    try (CollectorProcess old = CollectorProcess.serve(legacy)) {
      assertThat(old.stderr()).contains("1 repaired with U+FFFD, 1 set aside in table span_quarantine");
      HttpResponse<String> names = query(old, "SELECT string_agg(name, ',' ORDER BY name) FROM spans");
      assertThat(JSON.readTree(names.body()).at("/rows/0/0").asText()).isEqualTo("good,lone");
      assertThat(JSON.readTree(query(old, "SELECT name FROM span_quarantine").body()).at("/rows/0/0").asText())
          .isEqualTo("hopeless");
      assertThat(CollectorProcess.command("report", "--data", legacy.toString()).exitCode).isZero();
    }
  }

  /** The accepted lines, with {@code bad} in the middle when given. */
  private static Path join(Path file, List<byte[]> lines, byte[] bad) throws Exception {
    List<byte[]> all = new ArrayList<>(lines);
    if (bad != null) {
      all.add(all.size() / 2, bad);
    }
    try (var out = Files.newOutputStream(file)) {
      for (byte[] line : all) {
        out.write(line);
        out.write('\n');
      }
    }
    return file;
  }

  static HttpResponse<String> query(CollectorProcess process, String sql) throws Exception {
    return process.post("/api/query", "application/sql", null, sql.getBytes(StandardCharsets.UTF_8));
  }

  /** The one value a query returns, as text. */
  static String value(String sql) throws Exception {
    HttpResponse<String> response = query(SERVED.process(), sql);
    assertThat(response.statusCode()).as("%s: %s", sql, response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).at("/rows/0/0").asText();
  }
}
