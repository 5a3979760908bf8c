package io.memtrace.collector.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.lineage.LineageFixtures;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.view.TraceSpan;
import io.memtrace.testsupport.Closing;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The questions every {@link StoreReader} answers, asked of one corpus ({@link ContractCorpus}), with the answers
 * every store must give. A store's test extends this class and says only how spans get into it and how it is read
 * ({@link #load}); what it answers is the store's business, what the answers are is this class's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreReaderContract {

  static final List<String> SECTIONS = List.of("overview", "slowest_operations", "largest_values", "namespaces",
      "hot_keys", "written_never_read", "read_once", "no_ttl", "namespace_growth", "keyspace_growth", "value_age",
      "misses_after_write", "wasted_writes", "ttl_truth", "memory_health", "memory_commands", "model_calls", "model_call_flags", "latency", "cache_and_errors",
      "compressed", "memtrace_health");

  private StoreReader reader;

  /** The report's sections this store does not answer yet (each store's page of the docs says which); none by default. */
  protected java.util.Set<String> sectionsNotAnswered() {
    return java.util.Set.of();
  }
  private final Map<Layer, Report> reports = new LinkedHashMap<>();
  /** The reports of {@link HealthFixtures}' store: each layer's, and the memory layer's under its tenant rule (null). */
  private final Map<Layer, Report> health = new LinkedHashMap<>();
  private StoreReader healthReader;

  /**
   * Loads the payloads into a new store of the implementation, in order, as its ingest would, and gives a reader of
   * it that holds every span and metric point; the contract closes it.
   *
   * @param dir a directory for the store's files, if it keeps any
   */
  protected abstract StoreReader load(Path dir, List<ExportTraceServiceRequest> spans,
      List<ExportMetricsServiceRequest> metrics) throws Exception;

  /**
   * The corpus store's reports asked so far, by request: the store is only read once loaded, so a request several tests
   * ask of it (on ClickHouse each report costs seconds of chDB's planning) is asked of the store once.
   */
  private final Map<ReportRequest, Report> asked = new LinkedHashMap<>();

  /** The corpus store's report for {@code request}, asked of the store the first time a test of the class asks it. */
  protected final synchronized Report report(ReportRequest request) {
    Report report = asked.get(request);
    if (report == null) {
      report = reader.report(request);
      asked.put(request, report);
    }
    return report;
  }

  @BeforeAll
  void loadCorpus(@TempDir Path dir) throws Exception {
    reader = load(dir, ContractCorpus.payloads(), ContractCorpus.metrics());
    for (Layer layer : Layer.values()) {
      reports.put(layer, report(new ReportRequest(null, 6, layer)));
    }
    healthReader = load(java.nio.file.Files.createDirectories(dir.resolve("health")), HealthFixtures.payloads(),
        List.of());
    for (Layer layer : Layer.values()) {
      health.put(layer, healthReader.report(new ReportRequest(null, 6, layer)));
    }
    health.put(null, healthReader.report(new ReportRequest(null, 6, Layer.MEMORY, HealthFixtures.RULE)));
  }

  @AfterAll
  void closeReader() throws Exception {
    Closing.all(reader, healthReader);
  }

  private Section section(Layer layer, String id) {
    return reports.get(layer).sections().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  /** One column of a section's rows, in order. */
  private List<Object> column(Layer layer, String id, String column) {
    ResultTable table = section(layer, id).table();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      Object value = table.value(i, column);
      values.add(value instanceof Number n && !(value instanceof Double) ? (Object) n.longValue() : value);
    }
    return values;
  }

  /** The row of a section whose {@code column} is {@code value}. */
  private Map<String, Object> row(Layer layer, String id, String column, Object value) {
    ResultTable table = section(layer, id).table();
    for (int i = 0; i < table.size(); i++) {
      if (value.equals(table.value(i, column))) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (ResultTable.Column c : table.columns()) {
          Object v = table.value(i, c.name());
          row.put(c.name(), v instanceof Number n && !(v instanceof Double) ? (Object) n.longValue() : v);
        }
        return row;
      }
    }
    throw new AssertionError("no row with " + column + " = " + value + " in " + id + ": " + table.rows());
  }

  @Test
  void shouldGiveEverySectionInOrderForEitherLayerAndPickTheMemoryLayerWhenThereIsOne() {
    for (Layer layer : Layer.values()) {
      assertThat(reports.get(layer).sections()).extracting(Section::id).as("%s", layer)
          .containsExactlyElementsOf(SECTIONS.stream().filter(id -> !sectionsNotAnswered().contains(id)).toList());
      assertThat(reports.get(layer).layer()).isEqualTo(layer.description());
      assertThat(reports.get(layer).statements()).as("the statements behind the numbers").isNotEmpty();
    }
    assertThat(report(new ReportRequest(null, 6, null)).layer()).isEqualTo(Layer.MEMORY.description());
  }

  @Test
  void shouldGiveTheHeadlineAsTheReportGivesItsSections() {
    // memory_overview asks the headline alone; each of its sections equals the whole report's, rows, notes and totals
    Instant since = Instant.ofEpochMilli(SpanFixtures.T0 / 1_000_000 + 2_500);
    // the whole reports are the class's (on ClickHouse each costs seconds): asked of the store once, whichever test asks
    for (ReportRequest request : List.of(new ReportRequest(null, 6, Layer.MEMORY), new ReportRequest(null, 6,
        Layer.REDIS), new ReportRequest(null, 6, null), new ReportRequest(since, 6, Layer.REDIS))) {
      Report headline = reader.headline(request);
      Report report = report(request);
      assertThat(headline.sections()).extracting(Section::id).as("%s", request).containsExactlyElementsOf(SECTIONS
          .stream().filter(id -> Report.HEADLINE.contains(id) && !sectionsNotAnswered().contains(id)).toList());
      assertThat(headline.sections()).as("%s", request).containsExactlyElementsOf(report.headline().sections());
      assertThat(headline.layer()).isEqualTo(report.layer());
    }
    // the health store: memory health's and the model calls' figures, and under a tenant rule
    Map<ReportRequest, Report> healthWhole = Map.of(new ReportRequest(null, 6, Layer.MEMORY), health.get(Layer.MEMORY),
        new ReportRequest(null, 6, Layer.REDIS), health.get(Layer.REDIS),
        new ReportRequest(null, 6, Layer.MEMORY, HealthFixtures.RULE), health.get(null));
    healthWhole.forEach((request, report) -> assertThat(healthReader.headline(request).sections()).as("%s", request)
        .containsExactlyElementsOf(report.headline().sections()));
    assertThat(health.get(null).headline().sections()).as("the health store's flagged sections are not empty")
        .anyMatch(s -> s.id().equals("memory_health") && s.table().size() > 0);
  }

  @Test
  void shouldCountEverySpanTraceServiceAndErrorInTheOverview() {
    Map<String, Object> overview = row(Layer.REDIS, "overview", "services",
        "aqe-fleet, compressing-app, memory-svc, node-service, reader-svc, writer-svc");
    assertThat(overview).containsEntry("spans", 58L).containsEntry("traces", 5L).containsEntry("errors", 1L);
  }

  @Test
  void shouldListTheSlowestOperationsOfEachLayer() {
    assertThat(column(Layer.MEMORY, "slowest_operations", "key")).startsWith("coverage-report-user-service",
        "test-plan-user-service", "test-plan-%");
    assertThat(row(Layer.REDIS, "slowest_operations", "key", "slow:1")).containsEntry("duration_ms", 100.0)
        .containsEntry("operation", "SET").containsEntry("service_name", "writer-svc");
    assertThat(column(Layer.REDIS, "slowest_operations", "key").get(0)).isEqualTo("slow:1");
  }

  @Test
  void shouldListTheLargestValuesAndSayHowManyStatementsHidTheirs() {
    assertThat(column(Layer.MEMORY, "largest_values", "size_bytes")).containsExactly(1247L, 387L, 300L);
    assertThat(column(Layer.REDIS, "largest_values", "key")).containsExactly("user:1", "over:1", "over:1", "user:2",
        "sessions:s1");
    assertThat(section(Layer.REDIS, "largest_values").totals()).containsEntry("size_unknown", 3L);
  }

  @Test
  void shouldCountOperationsByNamespace() {
    assertThat(row(Layer.MEMORY, "namespaces", "namespace", "aqe/test-plans")).containsEntry("operation_count", 4L)
        .containsEntry("avg_duration_ms", 7.25);
    assertThat(row(Layer.REDIS, "namespaces", "namespace", "user")).containsEntry("operation_count", 9L);
    assertThat(column(Layer.REDIS, "namespaces", "namespace").get(0)).isEqualTo("user");
  }

  @Test
  void shouldCountHotKeysAcrossServicesAndLanguagesAndSayWhereTheKeysCameFrom() {
    // user:1 is written by writer-svc (Java agent), read by reader-svc and by node-service from its statement
    assertThat(row(Layer.REDIS, "hot_keys", "key", "user:1")).containsEntry("accesses", 6L).containsEntry("reads", 2L)
        .containsEntry("writes", 4L);
    assertThat(column(Layer.REDIS, "hot_keys", "key").get(0)).isEqualTo("user:1");
    assertThat(section(Layer.REDIS, "hot_keys").totals().get("key_sources"))
        .isEqualTo(Map.of("agent", 29L, "statement", 4L, "hidden", 2L));
    assertThat(column(Layer.MEMORY, "hot_keys", "key")).containsExactly("test-plan-user-service", "plan-a",
        "coverage-report-user-service", "plan-a");
  }

  @Test
  void shouldListKeysNeverReadReadOnceAndWithoutTtlWithTheirCountsAndTheHiddenCommands() {
    assertThat(column(Layer.REDIS, "written_never_read", "key")).containsExactly("sessions:s1");
    assertThat(section(Layer.REDIS, "written_never_read").totals()).containsEntry("keys", 1L)
        .containsEntry("unknown_keys", 2L);
    assertThat(section(Layer.REDIS, "read_once").totals()).containsEntry("keys", 11L);
    assertThat(section(Layer.REDIS, "no_ttl").totals()).containsEntry("keys", 9L).containsEntry("by_namespace",
        Map.of("hid", 2L, "late", 2L, "evicted", 1L, "over", 1L, "plans", 1L, "slow", 1L, "user", 1L));
    assertThat(column(Layer.MEMORY, "written_never_read", "key")).containsExactly("coverage-report-user-service");
    assertThat(column(Layer.MEMORY, "read_once", "namespace")).containsExactly("aqe/test-plans", "plans", "reports");
    assertThat(column(Layer.MEMORY, "no_ttl", "key")).containsExactly("coverage-report-user-service");
  }

  @Test
  void shouldCountNewKeysPerNamespaceAndWindow() {
    assertThat(row(Layer.MEMORY, "namespace_growth", "namespace", "aqe/reports").get("new_keys_per_window"))
        .asString().isEqualTo("[0, 0, 0, 0, 0, 1]");
    assertThat(row(Layer.REDIS, "namespace_growth", "namespace", "over")).containsEntry("bytes_written", 15L);
    assertThat(section(Layer.REDIS, "keyspace_growth").table().size()).as("no keyspace samples").isZero();
  }

  @Test
  void shouldJoinEachReadToTheWriteItSawAcrossServicesForTheLineageSections() {
    assertThat(section(Layer.REDIS, "value_age").totals()).containsEntry("reads", 14L).containsEntry("writer_seen", 9L)
        .containsEntry("writer_not_in_store", 2L).containsEntry("writer_compressed", 3L);
    assertThat(section(Layer.MEMORY, "value_age").totals()).containsEntry("reads", 3L).containsEntry("writer_seen", 2L);
    assertThat(row(Layer.MEMORY, "value_age", "namespace", "aqe/test-plans")).containsEntry("age_p50_ms", 38.0);
    // without notifications nothing names an eviction: no TTL ran out, so why is unknown, never "evicted"
    assertThat(section(Layer.REDIS, "misses_after_write").totals()).containsEntry("expired", 1L)
        .containsEntry("evicted", 0L).containsEntry("unknown", 1L).containsEntry("after_delete", 1L);
    assertThat(row(Layer.REDIS, "misses_after_write", "key", "evicted:1")).containsEntry("miss", "unknown");
    assertThat(column(Layer.REDIS, "misses_after_write", "key")).containsExactlyInAnyOrder("evicted:1", "short:1");
    assertThat(row(Layer.REDIS, "misses_after_write", "key", "short:1")).containsEntry("miss", "expired")
        .containsEntry("ttl_s", 1L).containsEntry("read_trace_id", LineageFixtures.READER_TRACE)
        .containsEntry("write_trace_id", LineageFixtures.WRITER_TRACE)
        .containsEntry("cause", "TTL ran out (by the TTL the write asked for)");
    // no keyspace notification was recorded: a read that found nothing with no TTL run out has no known cause
    assertThat(row(Layer.REDIS, "misses_after_write", "key", "evicted:1")).containsEntry("cause",
        "unknown (no keyspace notifications for this Redis at that time; turn on with --keyspace-events on)");
  }

  @Test
  void shouldCountWastedWrites() {
    assertThat(section(Layer.REDIS, "wasted_writes").totals()).containsEntry("writes", 16L).containsEntry("wasted", 4L)
        .containsEntry("overwritten", 1L).containsEntry("deleted", 1L).containsEntry("expired", 2L);
    assertThat(row(Layer.REDIS, "wasted_writes", "namespace", "over")).containsEntry("wasted_bytes", 7L);
    assertThat(section(Layer.MEMORY, "wasted_writes").totals()).containsEntry("writes", 3L).containsEntry("wasted", 0L);
  }

  /** One section of a report of {@link HealthFixtures}' store (layer null: the memory layer under its tenant rule). */
  private Section healthSection(Layer layer, String id) {
    return health.get(layer).sections().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  /** The rows of a health report's section, as objects by column name (whole numbers as longs). */
  private List<Map<String, Object>> healthRows(Layer layer, String id) {
    return rowsOf(healthSection(layer, id).table());
  }

  /** A table's rows as objects by column name (whole numbers as longs). */
  private static List<Map<String, Object>> rowsOf(ResultTable table) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (ResultTable.Column c : table.columns()) {
        Object v = table.value(i, c.name());
        row.put(c.name(), v instanceof Number n && !(v instanceof Double) ? (Object) n.longValue() : v);
      }
      rows.add(row);
    }
    return rows;
  }

  private Map<String, Object> healthRow(Layer layer, String id, String column, Object value, String column2,
      Object value2) {
    return healthRows(layer, id).stream().filter(r -> value.equals(r.get(column)) && value2.equals(r.get(column2)))
        .findFirst().orElseThrow(() -> new AssertionError("no row " + column + "=" + value + ", " + column2 + "="
            + value2 + " in " + healthRows(layer, id)));
  }

  @Test
  void shouldNameTheMemoryCallsWhoseRedisCommandsLostOrChangedTheTtlTheyAskedFor() {
    for (Layer layer : Layer.values()) {
      assertThat(healthSection(layer, "ttl_truth").totals()).as("%s", layer).containsEntry("ttl_lost", 1L)
          .containsEntry("ttl_differs", 1L).containsEntry("ttl_unchecked", 0L)
          .containsEntry("ttl_lost_by_store", Map.of("lost", 1L));
    }
    assertThat(healthRow(Layer.MEMORY, "ttl_truth", "finding", "ttl_lost", "key", "u1-l1")).containsEntry("store", "lost")
        .containsEntry("asked_ttl_s", 300L).containsEntry("got_ttl_s", null)
        .containsEntry("trace_id", HealthFixtures.TRACE);
    assertThat(healthRow(Layer.MEMORY, "ttl_truth", "finding", "ttl_differs", "key", "u1-l2"))
        .containsEntry("asked_ttl_s", 300L).containsEntry("got_ttl_s", 100L);
    // one layer at a time: a Redis-layer report names the key the call's SET wrote
    assertThat(healthRow(Layer.REDIS, "ttl_truth", "finding", "ttl_lost", "key", "lost:u1-l1")).containsEntry("store", "lost");
    // the contract corpus' memory calls asked for no TTL, and the lineage corpus' stale reads are none
    assertThat(section(Layer.MEMORY, "ttl_truth").totals()).containsEntry("ttl_lost", 0L).containsEntry("stale_read", 0L);
  }

  @Test
  void shouldListKeysWithNoTtlAmongKeysWithOneDriftingRecordsAndStaleReads() {
    assertThat(healthSection(Layer.MEMORY, "ttl_truth").totals()).containsEntry("no_ttl", 1L).containsEntry("ttl_drift", 1L)
        .containsEntry("stale_read", 1L).containsEntry("record_pattern", "checkpoint*:{thread}:*");
    assertThat(healthRow(Layer.MEMORY, "ttl_truth", "finding", "no_ttl", "key", "u2-c3")).containsEntry("store", "chat")
        .containsEntry("detail", "written with no TTL; 2 other keys of its namespace have one");
    // in Redis, lost:u1-l1's SET set none where lost:u1-l2's set one
    assertThat(healthRows(Layer.REDIS, "ttl_truth")).filteredOn(r -> r.get("finding").equals("no_ttl"))
        .extracting(r -> r.get("key")).containsExactly("chat:u2-c3", "lost:u1-l1");
    for (Layer layer : Layer.values()) {
      assertThat(healthRow(layer, "ttl_truth", "finding", "ttl_drift", "key", "t1"))
          .containsEntry("detail", "2 keys; TTLs end 60.0 s apart");
    }
    assertThat(healthRow(Layer.MEMORY, "ttl_truth", "finding", "stale_read", "key", "u1-s1"))
        .containsEntry("store", "stale").containsEntry("asked_ttl_s", 1L).containsEntry("detail", "read 3.0 s after its write");
    assertThat(healthRow(Layer.REDIS, "ttl_truth", "finding", "stale_read", "key", "stale:u1-s1"))
        .containsEntry("asked_ttl_s", 1L);
  }

  @Test
  void shouldGiveEachStoresHealthNeverReadEmptySearchesRewritesDuplicatesAndCommandsPerCall() {
    Map<String, Object> all = healthRow(Layer.MEMORY, "memory_health", "scope", "all", "name", "(all)");
    assertThat(all).containsEntry("operations", 16L).containsEntry("reads", 3L).containsEntry("writes", 10L)
        .containsEntry("read_write_ratio", 0.3).containsEntry("never_read", 6L).containsEntry("never_read_share", 0.6)
        .containsEntry("searches", 2L).containsEntry("empty_searches", 1L).containsEntry("empty_search_share", 0.5)
        .containsEntry("unchanged_rewrites", 1L).containsEntry("duplicate_values", 1L)
        .containsEntry("redis_commands_per_op", 1.25).containsEntry("n_plus_one_calls", 1L)
        .containsEntry("keys_written", 8L);
    assertThat(healthRow(Layer.MEMORY, "memory_health", "scope", "store", "name", "notes"))
        .containsEntry("writes", 3L).containsEntry("reads", 0L).containsEntry("never_read", 2L)
        .containsEntry("never_read_share", 0.6667);
    assertThat(healthRow(Layer.MEMORY, "memory_health", "scope", "store", "name", "chat"))
        .containsEntry("unchanged_rewrites", 1L).containsEntry("duplicate_values", 1L).containsEntry("never_read", 1L)
        .containsEntry("redis_bytes_per_op", 10.0);
    assertThat(healthRows(Layer.MEMORY, "memory_health")).extracting(r -> r.get("scope")).doesNotContain("tenant");
    // the contract corpus' writes carry no fingerprint: unknown, never 0
    assertThat(section(Layer.MEMORY, "memory_health").totals())
        .containsEntry("unchanged_rewrites", "unknown (no fingerprints: capture.fingerprints is off or the agent is older)");
    assertThat(row(Layer.MEMORY, "memory_health", "scope", "all")).containsEntry("duplicate_values", null);
  }

  @Test
  void shouldGiveHealthAndGrowthPerTenantUnderATenantRule() {
    assertThat(healthRow(null, "memory_health", "scope", "tenant", "name", "u1")).containsEntry("operations", 9L)
        .containsEntry("keys_written", 4L).containsEntry("unchanged_rewrites", 1L).containsEntry("duplicate_values", 0L);
    assertThat(healthRow(null, "memory_health", "scope", "tenant", "name", "u2")).containsEntry("operations", 3L)
        .containsEntry("keys_written", 2L).containsEntry("writes", 2L);
    assertThat(healthRow(null, "memory_health", "scope", "tenant", "name", "u3")).containsEntry("never_read", 2L);
    assertThat(healthRows(null, "memory_health")).extracting(r -> r.get("scope") + ":" + r.get("name")).containsExactly(
        "all:(all)", "store:chat", "store:notes", "store:facts", "store:lost", "store:stale", "tenant:u1", "tenant:u3",
        "tenant:u2");
  }

  @Test
  void shouldNameTheMemoryCallThatIssuesOneRedisCommandPerRecord() {
    assertThat(healthRow(Layer.MEMORY, "memory_commands", "store", "facts", "operation", "search"))
        .containsEntry("calls", 2L).containsEntry("redis_commands", 6L).containsEntry("redis_bytes", 60L)
        .containsEntry("commands_per_call", 3.0).containsEntry("n_plus_one_calls", 1L)
        .containsEntry("n_plus_one", "GET per record (up to 6 keys in one call, 1 calls)");
    assertThat(healthRow(Layer.MEMORY, "memory_commands", "store", "chat", "operation", "store"))
        .containsEntry("n_plus_one_calls", 0L).containsEntry("n_plus_one", null);
    assertThat(healthSection(Layer.MEMORY, "memory_commands").totals()).containsEntry("n_plus_one_calls", 1L);
  }

  @Test
  void shouldGiveLatencyCacheHitsAndErrorsPerLayer() {
    assertThat(row(Layer.REDIS, "latency", "operation", "SET")).containsEntry("count", 17L).containsEntry("errors", 1L)
        .containsEntry("p50_ms", 1.0);
    assertThat(row(Layer.MEMORY, "latency", "operation", "store")).containsEntry("count", 3L)
        .containsEntry("p50_ms", 12.0);
    Map<String, Object> redis = row(Layer.REDIS, "cache_and_errors", "operations", 35L);
    assertThat(redis).containsEntry("hits", 8L).containsEntry("misses", 4L).containsEntry("errors", 1L);
    assertThat(section(Layer.MEMORY, "cache_and_errors").table().value(0, "hit_rate")).isEqualTo(0.6667);
  }

  @Test
  void shouldSumTheLatestPointOfEachCumulativeSeriesAndEveryPointOfADeltaOne() {
    assertThat(section(Layer.REDIS, "memtrace_health").table().rows()).extracting(r -> r.get(0) + "=" + r.get(1))
        .containsExactly("memory.cache.hits=7", "memtrace.events.dropped=7");
  }

  @Test
  void shouldCountWhatRetentionCompressed() {
    assertThat(section(Layer.REDIS, "compressed").totals()).containsEntry("kept_spans", 58L)
        .containsEntry("compressed_spans", 1343L);
    assertThat(row(Layer.REDIS, "compressed", "namespace", "app:cache")).containsEntry("command", "GET")
        .containsEntry("compressed", 1234L);
  }

  @Test
  void shouldReportNothingOfSpansBeforeItsSince() {
    Report report = reader.report(new ReportRequest(Instant.now(), 6, Layer.REDIS));
    Section overview = report.sections().get(0);
    assertThat(overview.table().number(0, "spans")).isZero();
    assertThat(report.sections().stream().filter(s -> s.id().equals("hot_keys")).findFirst().orElseThrow().table()
        .size()).isZero();
  }

  @Test
  void shouldAnalyseOnlyTheSpansThatStartedAtOrAfterItsSince() {
    // 2.5 s into the corpus: writer-svc's app.task.many and SET late:2, reader-svc's GETs of late:1 and late:2, and
    // node-service's trace
    Report report = report(new ReportRequest(Instant.ofEpochMilli(SpanFixtures.T0 / 1_000_000 + 2_500), 6,
        Layer.REDIS));
    Section overview = report.sections().get(0);
    assertThat(overview.table().number(0, "spans")).isEqualTo(11);
    assertThat(overview.table().text(0, "services")).isEqualTo("node-service, reader-svc, writer-svc");
    Section hot = report.sections().stream().filter(s -> s.id().equals("hot_keys")).findFirst().orElseThrow();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < hot.table().size(); i++) {
      keys.add(hot.table().text(i, "key") + "=" + hot.table().number(i, "accesses"));
    }
    assertThat(keys).containsExactlyInAnyOrder("plans:p1=2", "late:2=2", "late:1=1", "user:1=1", "sessions:s1=1");
  }

  private static TraceSpan span(List<TraceSpan> trace, Predicate<TraceSpan> which) {
    return trace.stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("no such span in " + trace));
  }

  @Test
  void shouldGiveOneTraceByIdOrPrefixWithTheWriteEachReadSaw() {
    String prefix = LineageFixtures.READER_TRACE.substring(0, 31);
    Map<String, List<TraceSpan>> traces = reader.traces(new TraceRequest(prefix, 5, null));
    assertThat(traces).containsOnlyKeys(prefix);
    List<TraceSpan> trace = traces.get(prefix);
    assertThat(trace).hasSize(17).allMatch(s -> s.traceId().equals(LineageFixtures.READER_TRACE));
    assertThat(trace.get(0).name()).isEqualTo("app.task.execute");
    assertThat(span(trace, s -> "user:1".equals(s.key())).lineage())
        .isEqualTo("written 100 ms earlier by app.task.generate in writer-svc, trace 00000000…");
    assertThat(span(trace, s -> "gone:1".equals(s.key())).lineage()).startsWith("found nothing: deleted 79 ms earlier by DEL");
    assertThat(span(trace, s -> "short:1".equals(s.key())).lineage()).startsWith("found nothing: expired");
    assertThat(span(trace, s -> "hid:1".equals(s.key())).lineage()).isEqualTo("writer compressed by retention");
    // as its timeline says: retention counted writes of its namespace before it, so "never written" is not known
    assertThat(span(trace, s -> "never:1".equals(s.key())).lineage()).isEqualTo("found nothing: unknown (spans "
        + "compressed): retention counted Redis writes of this namespace instead of keeping them");
    assertThat(span(trace, s -> "plan-a".equals(s.key())).lineage()).startsWith("written 192 ms earlier");
  }

  @Test
  void shouldGiveTheKeysOfAnotherLanguagesStatementsInItsTrace() {
    List<TraceSpan> trace = reader.traces(new TraceRequest(ContractCorpus.NODE_TRACE, 5, null)).get(ContractCorpus.NODE_TRACE);
    assertThat(trace).extracting(TraceSpan::key).containsExactly(null, "plans:p1", "plans:p1", "user:1", "sessions:s1",
        null, null);
    assertThat(trace).filteredOn(TraceSpan::keyUnknown).extracting(TraceSpan::name).containsExactly("PIPELINE", "SET");
    assertThat(span(trace, s -> "user:1".equals(s.key())).lineage()).isEqualTo("writer compressed by retention");
  }

  @Test
  void shouldGiveTheMostRecentTracesOldestFirstOptionallyOfOneService() {
    assertThat(reader.traces(new TraceRequest(null, 2, null))).containsOnlyKeys(LineageFixtures.READER_TRACE,
        ContractCorpus.NODE_TRACE);
    assertThat(List.copyOf(reader.traces(new TraceRequest(null, 2, null)).keySet()))
        .containsExactly(LineageFixtures.READER_TRACE, ContractCorpus.NODE_TRACE);
    assertThat(reader.traces(new TraceRequest(null, 1, "writer-svc"))).containsOnlyKeys(LineageFixtures.WRITER_TRACE);
    assertThat(reader.traces(new TraceRequest(null, 10, null))).hasSize(5);
  }

  @Test
  void shouldGiveAnEmptyTraceForAnIdItDoesNotHoldAndRefuseOneThatIsNotHex() {
    assertThat(reader.traces(new TraceRequest("ffff", 5, null))).containsExactly(Map.entry("ffff", List.of()));
    assertThatThrownBy(() -> reader.traces(new TraceRequest("not-hex", 5, null)))
        .isInstanceOf(CollectorException.class).hasMessageContaining("not a hex trace id");
  }

  @Test
  void shouldGiveNoKeyspaceSamplesOrLinesWhenNoWatcherSampled() {
    assertThat(reader.keyspace(null).samples()).isEmpty();
    assertThat(reader.keyspace(null).servers()).isEmpty();
    assertThat(reader.keyspace(Instant.parse("2024-01-01T00:00:00Z")).samples()).isEmpty();
    List<TraceSpan> trace = reader.traces(new TraceRequest(LineageFixtures.READER_TRACE, 1, null))
        .get(LineageFixtures.READER_TRACE);
    assertThat(reader.keyspaceAtStart(trace)).isEmpty();
    assertThat(reader.keyspaceAtStart(List.of())).isEmpty();
  }

  @Test
  void shouldRunTheStoresSqlOverTheDocumentedSpansColumns() {
    ResultTable rows = reader.query("SELECT trace_id, span_id, parent_span_id, name, kind, start_time, end_time, "
        + "duration_ms, status_code, service_name, attributes, events FROM spans");
    assertThat(rows.size()).isEqualTo(58);
    assertThat(rows.columns()).extracting(ResultTable.Column::name).containsExactly("trace_id", "span_id",
        "parent_span_id", "name", "kind", "start_time", "end_time", "duration_ms", "status_code", "service_name",
        "attributes", "events");
    ResultTable perService = reader.query("SELECT service_name, count(*) AS n FROM spans GROUP BY service_name "
        + "ORDER BY service_name");
    assertThat(perService.rows()).extracting(r -> r.get(0) + "=" + r.get(1)).containsExactly("aqe-fleet=12",
        "compressing-app=2", "memory-svc=4", "node-service=7", "reader-svc=14", "writer-svc=19");
  }

  @Test
  void shouldDescribeItselfAndHaveNothingPendingOnceLoaded() {
    assertThat(reader.describe()).isNotBlank();
    assertThat(reader.pendingSpans()).isZero();
  }
  /** The rows of a view question's answer, as objects by column name (whole numbers as longs). */
  private List<Map<String, Object>> ask(String question, Map<String, String> params) {
    ViewAnswer answer = reader.view(new ViewQuestion(ViewQuestion.Kind.of(question), params));
    assertThat(answer.statements()).as("%s: the statements behind it", question).isNotEmpty();
    return rowsOf(answer.table());
  }

  @Test
  void shouldListTracesNewestFirstAndFindThemByKeyGlobServiceAndErrors() {
    List<Map<String, Object>> all = ask("traces", Map.of());
    assertThat(all).extracting(r -> r.get("root")).containsExactly("GET /plans", "app.task.execute",
        "app.task.generate", "aqe.task.generate", "aqe.task.run");
    assertThat(all.get(1)).containsEntry("trace_id", LineageFixtures.READER_TRACE).containsEntry("spans", 17L)
        .containsEntry("redis_commands", 13L).containsEntry("services", 2L);
    assertThat(ask("traces", Map.of("key", "user:*"))).extracting(r -> r.get("root")).containsExactly("GET /plans",
        "app.task.execute", "app.task.generate");
    assertThat(ask("traces", Map.of("errors", "1"))).extracting(r -> r.get("root")).containsExactly("app.task.generate");
    assertThat(ask("traces", Map.of("service", "node-service", "min", "30"))).hasSize(1);
    assertThatThrownBy(() -> ask("traces", Map.of("before", "yesterday"))).isInstanceOf(CollectorException.class)
        .hasMessageContaining("before is a whole number");
  }

  @Test
  void shouldGiveATracesSpansAndTheWriteEachReadSaw() {
    List<Map<String, Object>> spans = ask("trace", Map.of("trace", LineageFixtures.READER_TRACE));
    assertThat(spans).hasSize(17);
    Map<String, Object> read = spans.stream().filter(r -> "user:1".equals(r.get("memory_key"))).findFirst().orElseThrow();
    assertThat(read).containsEntry("kind", "redis").containsEntry("name", "GET");
    List<Map<String, Object>> seen = ask("read_lineage", Map.of("trace", LineageFixtures.READER_TRACE, "span",
        (String) read.get("span_id"), "start", String.valueOf(read.get("start_us"))));
    assertThat(seen).singleElement().satisfies(w -> assertThat(w).containsEntry("writer", "seen")
        .containsEntry("write_trace_id", LineageFixtures.WRITER_TRACE).containsEntry("write_service", "writer-svc")
        .containsEntry("value_age_ms", 100.0).containsEntry("cause", null));
    // a read that found nothing: why, as its key's timeline says
    Map<String, Object> gone = spans.stream().filter(r -> "gone:1".equals(r.get("memory_key"))).findFirst().orElseThrow();
    assertThat(ask("read_lineage", Map.of("trace", LineageFixtures.READER_TRACE, "span", (String) gone.get("span_id"),
        "start", String.valueOf(gone.get("start_us"))))).singleElement()
        .satisfies(w -> assertThat(String.valueOf(w.get("cause"))).startsWith("deleted by trace "));
    long first = spans.stream().mapToLong(r -> (Long) r.get("start_us")).min().orElseThrow();
    long last = spans.stream().mapToLong(r -> (Long) r.get("start_us")).max().orElseThrow();
    assertThat(ask("trace_facts", Map.of("trace", LineageFixtures.READER_TRACE, "from", String.valueOf(first), "to",
        String.valueOf(last)))).extracting(r -> r.get("kind") + ":" + r.get("value"))
        .contains("service:reader-svc", "namespace:user");
  }

  @Test
  void shouldGiveAKeysWholeHistoryAcrossServicesAndLanguages() {
    List<Map<String, Object>> history = ask("key_history", Map.of("key", "user:1"));
    assertThat(history).extracting(r -> r.get("service_name")).contains("writer-svc", "reader-svc", "node-service");
    assertThat(history).extracting(r -> (Long) r.get("start_us")).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(ask("key_history", Map.of("key", "no-such-key"))).isEmpty();
  }

  @Test
  void shouldAnswerTheKeysMemoryAndHealthPagesQuestions() {
    assertThat(ask("layer", Map.of())).singleElement().satisfies(r -> assertThat(r).containsEntry("n", 1L));
    List<Map<String, Object>> heat = ask("heat", Map.of("layer", "redis"));
    assertThat(heat).extracting(r -> r.get("namespace")).contains("user");
    for (Map<String, Object> cell : heat) {
      // each namespace's buckets add up to its total
      assertThat(heat.stream().filter(r -> r.get("namespace").equals(cell.get("namespace")))
          .mapToLong(r -> (Long) r.get("ops")).sum()).isEqualTo(cell.get("total"));
    }
    assertThat(ask("samples", Map.of())).singleElement().satisfies(r -> assertThat(r).containsEntry("n", 0L));
    assertThat(ask("keyspace_series", Map.of())).isEmpty();
    assertThat(ask("first_seen", Map.of("layer", "redis"))).extracting(r -> r.get("namespace")).contains("user");
    assertThat(ask("counters", Map.of())).extracting(r -> r.get("service_name") + " " + r.get("name") + "=" + r.get("value"))
        .containsExactly("reader-svc memtrace.events.dropped=4", "writer-svc memtrace.events.dropped=3");
    assertThat(ask("choices", Map.of())).extracting(r -> r.get("kind") + ":" + r.get("value"))
        .contains("service:node-service", "name:GET", "namespace:user");
  }
}
