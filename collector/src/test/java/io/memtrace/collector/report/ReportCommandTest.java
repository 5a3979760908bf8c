package io.memtrace.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.Cli;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.MetricRow;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

  @TempDir
  static Path dir;

  static JsonNode report;

  @BeforeAll
  static void fillAndReport() throws Exception {
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, SpanFixtures.seedTrace());
      TestStores.write(store, AnalyticsFixtures.keyUsage());
      TestStores.write(store, AnalyticsFixtures.failure());
      store.writer().writeMetrics(List.of(
          new MetricRow(SpanFixtures.T0, 0, "redis-app", "io.memtrace", "memtrace.events.dropped", null, null, "sum",
              "cumulative", true, "{}", 2.0, null, null, null, null, null, null),
          new MetricRow(SpanFixtures.T0 + 1_000_000_000L, 0, "redis-app", "io.memtrace", "memtrace.events.dropped", null, null, "sum",
              "cumulative", true, "{}", 7.0, null, null, null, null, null, null))).get(10, TimeUnit.SECONDS);
    }
    Cli result = Cli.run("report", "--data", dir.toString(), "--format", "json");
    assertThat(result.exitCode).as("%s", result).isZero();
    report = new ObjectMapper().readTree(result.out).path("sections");
  }

  @Test
  void shouldListTheSeedAnalyses() {
    assertThat(column("slowest_operations", "key")).startsWith("coverage-report-user-service", "test-plan-user-service");
    assertThat(report.at("/slowest_operations/rows/0/duration_ms").asDouble()).isEqualTo(15.0);
    assertThat(column("largest_values", "key")).startsWith("cold:1", "coverage-report-user-service", "test-plan-user-service");
    JsonNode plans = row("namespaces", "namespace", "aqe/test-plans");
    assertThat(plans.path("operation_count").asLong()).isEqualTo(4);
    assertThat(plans.path("avg_duration_ms").asDouble()).isEqualTo(7.25);
  }

  @Test
  void shouldFindTheKeyPatternsOfSeed002() {
    assertThat(report.at("/hot_keys/rows/0/key").asText()).isEqualTo("hot:1");
    assertThat(report.at("/hot_keys/rows/0/reads").asLong()).isEqualTo(5);
    assertThat(column("written_never_read", "key")).startsWith("cold:1").doesNotContain("hot:1", "once:1");
    assertThat(report.at("/written_never_read/keys").asLong()).as("cold, gone, 6 steady, 30 burst, the seed coverage report, the failed LPUSH").isEqualTo(40);
    assertThat(column("read_once", "key")).contains("once:1").doesNotContain("hot:1", "cold:1");
    assertThat(column("no_ttl", "key")).contains("cold:1").doesNotContain("hot:1", "once:1", "gone:1", "burst:0");
    assertThat(report.at("/namespace_growth/rapid_growth")).extracting(JsonNode::asText).containsExactly("burst");
    assertThat(row("namespace_growth", "namespace", "steady").path("rapid_growth").asBoolean()).isFalse();
    assertThat(row("namespace_growth", "namespace", "burst").path("last_window").asLong()).isEqualTo(30);
  }

  @Test
  void shouldSummariseLatencyCacheErrorsAndDrops() {
    JsonNode get = row("latency", "operation", "GET");
    assertThat(get.path("count").asLong()).isEqualTo(6);
    assertThat(get.has("p50_ms") && get.has("p95_ms") && get.has("p99_ms")).isTrue();
    assertThat(row("latency", "operation", "LPUSH").path("error_rate").asDouble()).isEqualTo(1.0);
    JsonNode cache = report.at("/cache_and_errors/rows/0");
    assertThat(cache.path("hits").asLong()).isEqualTo(7);
    assertThat(cache.path("misses").asLong()).isZero();
    assertThat(cache.path("errors").asLong()).isEqualTo(1);
    assertThat(row("memtrace_health", "name", "memtrace.events.dropped").path("value").asLong())
        .as("the latest value of a cumulative counter").isEqualTo(7);
  }

  @Test
  void shouldPrintMarkdownAndHonourSince() {
    Cli markdown = Cli.run("report", "--data", dir.toString());
    assertThat(markdown.out).contains("# memtrace report", "## Hot keys", "| hot:1 | hot | 6 | 5 | 1 |",
        "## Keys stored with no TTL");
    Cli recent = Cli.run("report", "--data", dir.toString(), "--format", "json", "--since", "1h");
    assertThat(recent.out).as("fixtures are from 2024, older than an hour").contains("\"spans\" : 0");
    Cli bad = Cli.run("report", "--data", dir.toString(), "--since", "soon");
    assertThat(bad.exitCode).isEqualTo(1);
    assertThat(bad.err).contains("--since 'soon' is not a duration");
  }

  private static List<String> column(String section, String name) {
    List<String> values = new ArrayList<>();
    report.path(section).path("rows").forEach(r -> values.add(r.path(name).asText()));
    return values;
  }

  private static JsonNode row(String section, String column, String value) {
    for (JsonNode r : report.path(section).path("rows")) {
      if (r.path(column).asText().equals(value)) {
        return r;
      }
    }
    throw new AssertionError("no row with " + column + "=" + value + " in " + report.path(section));
  }
}
