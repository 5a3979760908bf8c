package io.memtrace.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.Cli;
import io.memtrace.collector.Conventions;
import io.memtrace.collector.MemoryWorkload;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same workload stored once per naming convention of the agent (seed, both, genai) gives the same
 * report: a span with the GenAI names only is a memory operation with memtrace's operation, namespace and
 * key, and a span with both sets counts once.
 */
class ConventionsReportTest {

  @TempDir
  static Path dir;

  static final Map<Conventions, Report> REPORTS = new EnumMap<>(Conventions.class);
  /** The seed trace with the GenAI names only, the chat workload with both: one store, both kinds of memory span. */
  static Report mixed;

  record Report(String source, JsonNode sections, String markdown) {
  }

  @BeforeAll
  static void storeTheWorkloadOncePerConvention() throws Exception {
    for (Conventions c : Conventions.values()) {
      Path data = dir.resolve(c.name());
      TestStores.fill(data, c.shape(SpanFixtures.seedTrace()), c.shape(MemoryWorkload.chat()));
      REPORTS.put(c, report(data));
    }
    Path data = dir.resolve("mixed");
    TestStores.fill(data, Conventions.GENAI.shape(SpanFixtures.seedTrace()), Conventions.BOTH.shape(MemoryWorkload.chat()));
    mixed = report(data);
  }

  static Report report(Path data) throws Exception {
    Cli json = Cli.run("report", "--query-timeout", "10m", "--data", data.toString(), "--format", "json");
    assertThat(json.exitCode).as("%s", json).isZero();
    Cli markdown = Cli.run("report", "--query-timeout", "10m", "--data", data.toString(), "--format", "md");
    assertThat(markdown.exitCode).as("%s", markdown).isZero();
    JsonNode root = new ObjectMapper().readTree(json.out);
    return new Report(root.path("source").asText(), root.path("sections"), markdown.out.replace(data.toString(), "DIR"));
  }

  @Test
  void shouldReportTheSameWorkloadTheSameWhicheverNamesItsSpansCarry() {
    Report seed = REPORTS.get(Conventions.SEED);
    for (Conventions c : List.of(Conventions.BOTH, Conventions.GENAI)) {
      assertThat(REPORTS.get(c).source()).as("%s", c).contains("analysing memory-manager operations");
      assertThat(REPORTS.get(c).sections()).as("%s report, every section", c).isEqualTo(seed.sections());
      assertThat(REPORTS.get(c).markdown()).as("%s report, Markdown", c).isEqualTo(seed.markdown());
    }
    assertThat(mixed.sections()).as("a store with both kinds of memory span").isEqualTo(seed.sections());
  }

  @Test
  void shouldReadOperationNamespaceAndKeyOfGenAiOnlySpans() {
    JsonNode genAi = REPORTS.get(Conventions.GENAI).sections();
    assertThat(column(genAi, "slowest_operations", "operation"))
        .startsWith("store", "store", "search", "store", "search", "retrieve");
    assertThat(column(genAi, "slowest_operations", "key")).startsWith("coverage-report-user-service", "test-plan-user-service");
    assertThat(column(genAi, "slowest_operations", "namespace")).startsWith("aqe/reports", "aqe/test-plans", "VectorStore");
    assertThat(column(genAi, "latency", "operation")).as("the model call is no memory operation")
        .containsExactlyInAnyOrder("store", "retrieve", "search", "delete");
    assertThat(row(genAi, "namespaces", "namespace", "aqe/test-plans").path("operation_count").asLong()).isEqualTo(4);
    assertThat(row(genAi, "namespaces", "namespace", "aqe/test-plans").path("avg_duration_ms").asDouble()).isEqualTo(7.25);
    assertThat(row(genAi, "namespaces", "namespace", "ChatMemory").path("operation_count").asLong()).isEqualTo(12);
    assertThat(column(genAi, "largest_values", "key")).startsWith("conv-2", "coverage-report-user-service");
  }

  @Test
  void shouldTellRetrievesFromSearchesAndKeepSearchPatternsOutOfTheKeys() {
    JsonNode genAi = REPORTS.get(Conventions.GENAI).sections();
    JsonNode hot = row(genAi, "hot_keys", "key", "conv-1");
    assertThat(List.of(hot.path("accesses").asLong(), hot.path("reads").asLong(), hot.path("writes").asLong()))
        .containsExactly(5L, 4L, 1L);
    assertThat(column(genAi, "hot_keys", "key")).doesNotContain("test-plan-%");
    assertThat(column(genAi, "written_never_read", "key")).startsWith("conv-2", "coverage-report-user-service")
        .doesNotContain("conv-1", "conv-3");
    assertThat(column(genAi, "read_once", "key")).contains("conv-3", "conv-4", "test-plan-user-service")
        .doesNotContain("conv-1");
    assertThat(column(genAi, "no_ttl", "key")).contains("conv-2").doesNotContain("conv-1", "conv-3", "conv-5");
    JsonNode cache = genAi.at("/cache_and_errors/rows/0");
    assertThat(List.of(cache.path("hits").asLong(), cache.path("misses").asLong(), cache.path("operations").asLong(),
        cache.path("errors").asLong())).containsExactly(6L, 1L, 18L, 1L);
  }

  @Test
  void shouldCountASpanWithBothNamesOnce() {
    JsonNode both = REPORTS.get(Conventions.BOTH).sections();
    assertThat(row(both, "namespaces", "namespace", "ChatMemory").path("operation_count").asLong()).isEqualTo(12);
    assertThat(row(both, "hot_keys", "key", "conv-1").path("accesses").asLong()).isEqualTo(5);
    assertThat(both.at("/cache_and_errors/rows/0/operations").asLong()).isEqualTo(18);
  }

  @Test
  void shouldKeepTheRedisLayerAsItIs() {
    for (Conventions c : Conventions.values()) {
      Cli redis = Cli.run("report", "--query-timeout", "10m", "--data", dir.resolve(c.name()).toString(), "--format", "json", "--layer", "redis");
      assertThat(redis.exitCode).as("%s", redis).isZero();
      assertThat(redis.out).as("%s", c).contains("\"key\" : \"chat:conv-1\"").doesNotContain("\"key\" : \"conv-1\"");
    }
  }

  static List<String> column(JsonNode report, String section, String name) {
    List<String> values = new ArrayList<>();
    report.path(section).path("rows").forEach(r -> values.add(r.path(name).asText()));
    return values;
  }

  static JsonNode row(JsonNode report, String section, String column, String value) {
    for (JsonNode r : report.path(section).path("rows")) {
      if (r.path(column).asText().equals(value)) {
        return r;
      }
    }
    throw new AssertionError("no row with " + column + "=" + value + " in " + report.path(section));
  }
}
