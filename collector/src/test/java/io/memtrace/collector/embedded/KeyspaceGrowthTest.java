package io.memtrace.collector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's keyspace sections over samples the watcher would write and spans that read one namespace. */
class KeyspaceGrowthTest {

  @TempDir
  Path data;

  @Test
  void shouldSayWhenThereAreNoKeyspaceSamples() throws Exception {
    TestStores.fill(data, SpanFixtures.seedTrace());
    Map<String, Section> sections = report();
    try (LocalSqlSource local = TestQueryLimits.local(new StoreFiles(data))) {
      // the whole report's growth sections are those the other tests ask alone
      List<Section> whole = new ReportBuilder(local, null, 5, Layer.REDIS).build().stream()
          .filter(s -> s.id().startsWith("keyspace_")).toList();
      assertThat(whole).extracting(Section::toString).containsExactlyInAnyOrderElementsOf(sections.values().stream()
          .map(Section::toString).toList());
    }
    assertThat(sections.get("keyspace_growth").note()).contains("No keyspace samples").contains("--watch-redis");
    assertThat(sections).doesNotContainKey("keyspace_unread_growth");
  }

  @Test
  void shouldFlagRapidGrowthUnreadGrowthAndAccumulatingKeysWithoutTtl() throws Exception {
    long t0 = SpanFixtures.T0 / 1_000_000_000L;
    try (SpanStore store = TestStores.open(data, true)) {
      // spans read 'cache' during the samples, nobody reads 'leaky' or 'steady'
      TestStores.write(store, SpanFixtures.request("svc", List.of(
          SpanFixtures.span("0000000000000000000000000000beef", null, "GET", 60_000, 1)
              .addAttributes(SpanFixtures.attr("db.operation.name", "GET"))
              .addAttributes(SpanFixtures.attr("memory.namespace", "cache")).build())));
      try (DuckDBConnection c = store.newConnection(); Statement s = c.createStatement()) {
        for (int minute = 0; minute <= 10; minute++) {
          String time = "to_timestamp(" + (t0 + minute * 60) + ")::TIMESTAMP";
          insert(s, time, "leaky", 1_000 + minute * 500L, 100_000 + minute * 2_000_000L, 100 + minute * 400L, true);
          insert(s, time, "cache", 200 + minute * 100L, 50_000 + minute * 10_000L, 0, true);
          insert(s, time, "steady", 300, 90_000, 300, true);
        }
        // a pass cut short, and a stale carry-over: neither may count as shrinking
        insert(s, "to_timestamp(" + (t0 + 660) + ")::TIMESTAMP", "leaky", 10, 10, 10, false);
      }
    }
    Map<String, Section> sections = report();
    ResultTable growth = sections.get("keyspace_growth").table();
    Map<String, Integer> rows = rows(growth);
    assertThat(growth.value(rows.get("leaky"), "rapid")).isEqualTo(true);
    assertThat(growth.decimal(rows.get("leaky"), "bytes_per_min")).isEqualTo(2_000_000.0);
    assertThat(growth.decimal(rows.get("leaky"), "keys_per_min")).isEqualTo(500.0);
    assertThat(growth.value(rows.get("cache"), "rapid")).isEqualTo(false);
    assertThat(growth.decimal(rows.get("steady"), "bytes_per_min")).isEqualTo(0.0);
    assertThat(rows(sections.get("keyspace_unread_growth").table())).containsOnlyKeys("leaky");
    ResultTable noTtl = sections.get("keyspace_no_ttl").table();
    assertThat(rows(noTtl)).containsOnlyKeys("leaky");
    assertThat(noTtl.decimal(0, "no_ttl_per_min")).isEqualTo(400.0);
  }

  @Test
  void shouldNotTakeSamplingNoiseForGrowth() throws Exception {
    long t0 = SpanFixtures.T0 / 1_000_000_000L;
    try (SpanStore store = TestStores.open(data, true)) {
      try (DuckDBConnection c = store.newConnection(); Statement s = c.createStatement()) {
        for (int minute = 0; minute <= 10; minute++) {
          String time = "to_timestamp(" + (t0 + minute * 60) + ")::TIMESTAMP";
          // a sampled namespace of 50,000 keys whose estimates move by about a bound's half each pass
          long wobble = minute % 2 == 0 ? 0 : 1_500;
          sampled(s, time, "noisy", 50_000 + wobble, 14_000_000 + wobble * 280, 33_000 + wobble, 2_500, 800_000);
          // a sampled namespace growing by 5,000 keys a minute, far beyond its bounds
          sampled(s, time, "growing", 50_000 + minute * 5_000L, 14_000_000 + minute * 1_400_000L, 33_000 + minute * 3_300L,
              2_500, 800_000);
        }
      }
    }
    Map<String, Section> sections = report();
    ResultTable growth = sections.get("keyspace_growth").table();
    Map<String, Integer> rows = rows(growth);
    assertThat(growth.value(rows.get("noisy"), "rapid")).as("1,500 keys a minute within bounds of 2,500").isEqualTo(false);
    assertThat(growth.value(rows.get("noisy"), "sampled")).isEqualTo(true);
    assertThat(growth.value(rows.get("growing"), "rapid")).isEqualTo(true);
    assertThat(rows(sections.get("keyspace_unread_growth").table())).containsOnlyKeys("growing");
    assertThat(rows(sections.get("keyspace_no_ttl").table())).containsOnlyKeys("growing");
  }

  private static void sampled(Statement s, String time, String ns, long keys, long bytes, long noTtl, long keysError,
      long bytesError) throws Exception {
    s.execute("INSERT INTO keyspace (time, redis, db, namespace, keys, bytes, bytes_error, sampled_keys, "
        + "keys_without_ttl, types, pass_id, complete, stale, keys_error, keys_without_ttl_error, scanned_keys, sampled) "
        + "VALUES (" + time + ", '127.0.0.1:6379', 0, '" + ns + "', " + keys + ", " + bytes + ", " + bytesError + ", 600, "
        + noTtl + ", '{}', 1, true, false, " + keysError + ", " + keysError + ", 6000, true)");
  }

  private static void insert(Statement s, String time, String ns, long keys, long bytes, long noTtl, boolean complete)
      throws Exception {
    s.execute("INSERT INTO keyspace (time, redis, db, namespace, keys, bytes, bytes_error, sampled_keys, "
        + "keys_without_ttl, types, pass_id, complete, stale) VALUES (" + time + ", '127.0.0.1:6379', 0, '" + ns + "', "
        + keys + ", " + bytes + ", 0, " + keys + ", " + noTtl + ", '{}', 1, " + complete + ", " + !complete + ")");
  }

  private Map<String, Section> report() throws Exception {
    try (LocalSqlSource local = TestQueryLimits.local(new StoreFiles(data))) {
      return new ReportBuilder(local, null, 5, Layer.REDIS).growthSections().stream()
          .collect(Collectors.toMap(Section::id, Function.identity()));
    }
  }

  private static Map<String, Integer> rows(ResultTable table) {
    Map<String, Integer> byNamespace = new java.util.HashMap<>();
    for (int i = 0; i < table.size(); i++) {
      byNamespace.put(table.text(i, "namespace"), i);
    }
    return byNamespace;
  }
}
