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
  static JsonNode redisReport;

  @BeforeAll
  static void fillAndReport() throws Exception {
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, SpanFixtures.seedTrace());
      TestStores.write(store, AnalyticsFixtures.keyUsage());
      TestStores.write(store, AnalyticsFixtures.failure());
      TestStores.write(store, SpanFixtures.compressedTrace());
      store.writer().writeMetrics(List.of(
          new MetricRow(SpanFixtures.T0, 0, "redis-app", "io.memtrace", "memtrace.events.dropped", null, null, "sum",
              "cumulative", true, "{}", 2.0, null, null, null, null, null, null),
          new MetricRow(SpanFixtures.T0 + 1_000_000_000L, 0, "redis-app", "io.memtrace", "memtrace.events.dropped", null, null, "sum",
              "cumulative", true, "{}", 7.0, null, null, null, null, null, null))).get(10, TimeUnit.SECONDS);
    }
    Cli result = Cli.run("report", "--query-timeout", "10m", "--data", dir.toString(), "--format", "json");
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(new ObjectMapper().readTree(result.out).path("source").asText())
        .contains("analysing memory-manager operations");
    report = new ObjectMapper().readTree(result.out).path("sections");
    Cli redis = Cli.run("report", "--query-timeout", "10m", "--data", dir.toString(), "--format", "json", "--layer", "redis");
    assertThat(redis.exitCode).as("%s", redis).isZero();
    redisReport = new ObjectMapper().readTree(redis.out).path("sections");
  }

  @Test
  void shouldListTheSeedAnalyses() {
    assertThat(column("slowest_operations", "key")).startsWith("coverage-report-user-service", "test-plan-user-service");
    assertThat(report.at("/slowest_operations/rows/0/duration_ms").asDouble()).isEqualTo(15.0);
    assertThat(column("largest_values", "key")).containsExactly("coverage-report-user-service", "test-plan-user-service");
    JsonNode plans = row("namespaces", "namespace", "aqe/test-plans");
    assertThat(plans.path("operation_count").asLong()).isEqualTo(4);
    assertThat(plans.path("avg_duration_ms").asDouble()).isEqualTo(7.25);
  }

  @Test
  void shouldFindTheKeyPatternsOfSeed002() {
    assertThat(redisReport.at("/hot_keys/rows/0/key").asText()).isEqualTo("hot:1");
    assertThat(redisReport.at("/hot_keys/rows/0/reads").asLong()).isEqualTo(5);
    assertThat(column(redisReport, "written_never_read", "key")).startsWith("cold:1").doesNotContain("hot:1", "once:1");
    assertThat(redisReport.at("/written_never_read/keys").asLong()).as("cold, gone, 6 steady, 30 burst, the failed LPUSH")
        .isEqualTo(39);
    assertThat(column(redisReport, "read_once", "key")).contains("once:1").doesNotContain("hot:1", "cold:1");
    assertThat(column(redisReport, "no_ttl", "key")).contains("cold:1").doesNotContain("hot:1", "once:1", "gone:1", "burst:0");
    assertThat(redisReport.at("/namespace_growth/rapid_growth")).extracting(JsonNode::asText).containsExactly("burst");
    assertThat(row(redisReport, "namespace_growth", "namespace", "steady").path("rapid_growth").asBoolean()).isFalse();
    assertThat(row(redisReport, "namespace_growth", "namespace", "burst").path("last_window").asLong()).isEqualTo(30);
  }

  @Test
  void shouldKeepEachLayerToItsOwnKeys() {
    assertThat(column("hot_keys", "key")).containsExactlyInAnyOrder("test-plan-user-service",
        "coverage-report-user-service");
    assertThat(column("written_never_read", "key")).containsExactly("coverage-report-user-service");
    assertThat(column(redisReport, "hot_keys", "key")).doesNotContain("test-plan-user-service");
  }

  @Test
  void shouldSummariseLatencyCacheErrorsAndDrops() {
    JsonNode get = row(redisReport, "latency", "operation", "GET");
    assertThat(get.path("count").asLong()).isEqualTo(6);
    assertThat(get.has("p50_ms") && get.has("p95_ms") && get.has("p99_ms")).isTrue();
    assertThat(row(redisReport, "latency", "operation", "LPUSH").path("error_rate").asDouble()).isEqualTo(1.0);
    JsonNode cache = redisReport.at("/cache_and_errors/rows/0");
    assertThat(cache.path("hits").asLong()).isEqualTo(6);
    assertThat(cache.path("misses").asLong()).isZero();
    assertThat(cache.path("errors").asLong()).isEqualTo(1);
    assertThat(report.at("/cache_and_errors/rows/0/hits").asLong()).as("the seed's one retrieve").isEqualTo(1);
    assertThat(row("memtrace_health", "name", "memtrace.events.dropped").path("value").asLong())
        .as("the latest value of a cumulative counter").isEqualTo(7);
  }

  @Test
  void shouldCountCompressedSpansPerCommandAndNamespaceWithTheTotals() {
    JsonNode cache = row("compressed", "namespace", "app:cache");
    assertThat(cache.path("command").asText()).isEqualTo("GET");
    assertThat(cache.path("compressed").asLong()).isEqualTo(1234);
    assertThat(cache.path("total_ms").asDouble()).isEqualTo(12.3);
    assertThat(row("compressed", "namespace", "session").path("compressed").asLong()).isEqualTo(100);
    assertThat(row("compressed", "namespace", "(none)").path("command").asText()).isEqualTo("SET");
    assertThat(report.at("/compressed/compressed_spans").asLong()).isEqualTo(1336);
    assertThat(report.at("/compressed/kept_spans").asLong()).isEqualTo(report.at("/overview/rows/0/spans").asLong());
  }

  @Test
  void shouldPrintMarkdownAndHonourSince() {
    Cli markdown = Cli.run("report", "--query-timeout", "10m", "--data", dir.toString(), "--layer", "redis");
    assertThat(markdown.out).contains("# memtrace report", "## Hot keys", "| hot:1 | hot | 6 | 5 | 1 |",
        "## Keys stored with no TTL");
    Cli recent = Cli.run("report", "--query-timeout", "10m", "--data", dir.toString(), "--format", "json", "--since", "1h");
    assertThat(recent.out).as("fixtures are from 2024, older than an hour").contains("\"spans\" : 0");
    Cli bad = Cli.run("report", "--query-timeout", "10m", "--data", dir.toString(), "--since", "soon");
    assertThat(bad.exitCode).isEqualTo(1);
    assertThat(bad.err).contains("--since 'soon' is not a duration");
  }

  @Test
  void shouldStopALocalQueryAtTheQueryTimeoutItIsGivenAndRefuseANonPositiveOne() {
    Cli stopped = Cli.run("query", "--query-timeout", "100ms", "--data", dir.toString(),
        "SELECT count(*) FROM range(100000000000)");
    assertThat(stopped.exitCode).as("%s", stopped.err).isEqualTo(1);
    assertThat(stopped.err).contains("ran longer than the query timeout of 100 ms");
    Cli zero = Cli.run("report", "--query-timeout", "0s", "--data", dir.toString());
    assertThat(zero.exitCode).isEqualTo(1);
    assertThat(zero.err).contains("--query-timeout must be positive, not '0s'");
    Cli word = Cli.run("traces", "--query-timeout", "soon", "--data", dir.toString());
    assertThat(word.exitCode).isEqualTo(1);
    assertThat(word.err).contains("--query-timeout 'soon' is not a duration");
    Cli asked = Cli.run("traces", "--query-timeout", "0ms", "--server", "http://127.0.0.1:9");
    assertThat(asked.exitCode).as("checked before a server is asked").isEqualTo(1);
    assertThat(asked.err).contains("--query-timeout must be positive, not '0ms'");
  }

  @Test
  void shouldCountEachListsKeysPerNamespaceMostFirstThenByName() {
    assertThat(redisReport.at("/written_never_read/by_namespace")).as("the failed LPUSH has no namespace")
        .hasToString("{\"burst\":30,\"steady\":6,\"\":1,\"cold\":1,\"gone\":1}");
    assertThat(redisReport.at("/read_once/by_namespace")).hasToString("{\"once\":1}");
    assertThat(redisReport.at("/no_ttl/by_namespace")).hasToString("{\"\":1,\"cold\":1}");
    assertThat(report.at("/written_never_read/by_namespace")).hasToString("{\"aqe/reports\":1}");
  }

  private static List<String> column(String section, String name) {
    return column(report, section, name);
  }

  private static List<String> column(JsonNode report, String section, String name) {
    List<String> values = new ArrayList<>();
    report.path(section).path("rows").forEach(r -> values.add(r.path(name).asText()));
    return values;
  }

  private static JsonNode row(String section, String column, String value) {
    return row(report, section, column, value);
  }

  private static JsonNode row(JsonNode report, String section, String column, String value) {
    for (JsonNode r : report.path(section).path("rows")) {
      if (r.path(column).asText().equals(value)) {
        return r;
      }
    }
    throw new AssertionError("no row with " + column + "=" + value + " in " + report.path(section));
  }
}
