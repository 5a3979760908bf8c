package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.Cli;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.report.ReportRenderer;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's lineage sections, in both layers, over {@link LineageFixtures}. */
class LineageReportTest {

  @TempDir
  static Path dir;
  static JsonNode redis;
  static JsonNode memory;

  @BeforeAll
  static void report() throws Exception {
    TestStores.fill(dir, LineageFixtures.writer(), LineageFixtures.reader(), LineageFixtures.memory());
    redis = sections("--layer", "redis");
    memory = sections();
  }

  @Test
  void shouldGiveTheAgeOfTheValuesReadPerNamespace() {
    assertThat(redis.at("/value_age/reads").asLong()).isEqualTo(12);
    assertThat(redis.at("/value_age/writer_seen").asLong()).isEqualTo(8);
    assertThat(redis.at("/value_age/writer_not_in_store").asLong()).as("never:1, slow:1").isEqualTo(2);
    assertThat(redis.at("/value_age/writer_compressed").asLong()).as("hid:1, late:1").isEqualTo(2);
    JsonNode user = row(redis, "value_age", "user");
    assertThat(user.path("age_p50_ms").asDouble()).as("user:1 read 100 ms after, user:2 109 ms after").isEqualTo(104.5);
    assertThat(row(redis, "value_age", "gone").path("age_p50_ms").isNull()).as("found nothing: no age").isTrue();
    assertThat(row(memory, "value_age", "plans").path("age_p50_ms").asDouble()).isEqualTo(192.0);
  }

  @Test
  void shouldListTheReadsThatFoundNothingAfterAWrite() {
    assertThat(redis.at("/misses_after_write/expired").asLong()).isEqualTo(1);
    assertThat(redis.at("/misses_after_write/evicted").asLong()).as("no notification reported one").isZero();
    assertThat(redis.at("/misses_after_write/unknown").asLong()).isEqualTo(1);
    assertThat(redis.at("/misses_after_write/after_delete").asLong()).isEqualTo(1);
    assertThat(redis.at("/misses_after_write/rows")).extracting(r -> r.path("key").asText() + " " + r.path("miss").asText())
        .containsExactlyInAnyOrder("short:1 expired", "evicted:1 unknown");
    assertThat(redis.at("/misses_after_write/rows/0/write_trace_id").asText()).isEqualTo(LineageFixtures.WRITER_TRACE);
    assertThat(memory.at("/misses_after_write/rows")).isEmpty();
  }

  @Test
  void shouldAskTheHeadlineNoStatementItsAnswerDoesNotNeed() {
    try (EmbeddedReader reader = EmbeddedReader.local(new StoreFiles(dir))) {
      // no read since then found nothing: the misses section is empty without the statement over every read's lineage
      Report later = reader.headline(new ReportRequest(Instant.parse("2100-01-01T00:00:00Z"), 6, Layer.REDIS));
      assertThat(later.statements()).noneMatch(s -> s.contains("noticed_misses"));
      assertThat(later.sections()).filteredOn(s -> s.id().equals("misses_after_write")).singleElement()
          .satisfies(s -> assertThat(s.table().size()).isZero())
          .satisfies(s -> assertThat(s.totals()).containsEntry("expired", 0L).containsEntry("unknown", 0L));
      // the whole store's headline, asked once: Redis reads missed, and memory health alone (not the TTL truth's
      // latest calls, which the whole report lists)
      assertThat(reader.headline(new ReportRequest(null, 6, Layer.REDIS)).statements()).as("Redis reads missed")
          .anyMatch(s -> s.contains("noticed_misses")).noneMatch(s -> s.contains("AS l_ttl_lost"));
      assertThat(reader.report(new ReportRequest(null, 6, Layer.REDIS)).statements())
          .anyMatch(s -> s.contains("AS l_ttl_lost"));
    }
  }

  @Test
  void shouldCountTheWritesNobodyRead() {
    assertThat(redis.at("/wasted_writes/writes").asLong()).isEqualTo(14);
    assertThat(redis.at("/wasted_writes/wasted").asLong()).isEqualTo(3);
    assertThat(redis.at("/wasted_writes/overwritten").asLong()).isEqualTo(1);
    assertThat(redis.at("/wasted_writes/deleted").asLong()).isEqualTo(1);
    assertThat(redis.at("/wasted_writes/expired").asLong()).isEqualTo(1);
    assertThat(row(redis, "wasted_writes", "over").path("wasted_bytes").asLong()).isEqualTo(7);
    assertThat(memory.at("/wasted_writes/wasted").asLong()).isZero();
  }

  @Test
  void shouldPrintTheSectionsInMarkdown() {
    Cli md = Cli.run("report", "--query-timeout", "10m", "--data", dir.toString(), "--layer", "redis");
    assertThat(md.out).contains("## Value age at read", "## Reads that found nothing after a write",
        "## Writes never read (wasted writes)", "By namespace: evicted 1 · short 1");
  }

  /** {@link ReportBuilder#lineageSections}, which the key events' tests compare, asks them as the whole report does. */
  @Test
  void shouldGiveTheLineageSectionsAloneAsTheWholeReportGivesThem() throws Exception {
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      for (Layer layer : Layer.values()) {
        JsonNode whole = layer == Layer.REDIS ? redis : memory;
        List<Section> alone = new ReportBuilder(store, null, 6, layer).lineageSections();
        assertThat(alone).extracting(Section::id).containsExactly("value_age", "misses_after_write", "wasted_writes");
        JsonNode sections = new ObjectMapper().readTree(ReportRenderer.json(alone, "test", 0)).path("sections");
        for (Section section : alone) {
          assertThat(sections.path(section.id())).as(layer + " " + section.id()).isEqualTo(whole.path(section.id()));
        }
      }
    }
  }

  @Test
  void shouldStillReportWhenTheLineageQueriesRunOutOfTime() {
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      SqlSource slow = SqlSource.of(store.describe(), sql -> {
        if (sql.contains("FROM lineage") || sql.contains("FROM key_event")) {
          throw new CollectorException("query stopped: it ran longer than the query timeout of 30 s");
        }
        return store.query(sql);
      });
      List<Section> report = new ReportBuilder(slow, null, 6, Layer.REDIS).build();
      String md = ReportRenderer.markdown(report, "test", null);
      assertThat(md).contains("## Value age at read\n\nNot computed: query stopped: it ran longer than the query "
          + "timeout of 30 s. Joining every read", "## Writes never read (wasted writes)\n\nNot computed:", "## Hot keys");
    }
  }

  private static JsonNode sections(String... layer) throws Exception {
    String[] args = new String[] {"report", "--data", dir.toString(), "--format", "json"};
    Cli result = Cli.run(layer.length == 0 ? args : concat(args, layer));
    assertThat(result.exitCode).as("%s", result).isZero();
    return new ObjectMapper().readTree(result.out).path("sections");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static JsonNode row(JsonNode report, String section, String namespace) {
    for (JsonNode r : report.path(section).path("rows")) {
      if (r.path("namespace").asText().equals(namespace)) {
        return r;
      }
    }
    throw new AssertionError("no " + namespace + " in " + report.path(section));
  }
}
