package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code traces}: under each read, which write it saw; under the box, the keyspace when the trace began. */
class TraceLineageTest {

  @TempDir
  Path dir;

  @Test
  void shouldSayUnderEachReadWhichWriteItSawAndByWhichTask() throws Exception {
    TestStores.fill(dir, ExampleFixtures.fleet(), LineageFixtures.writer(), LineageFixtures.reader());
    String plan = traces(ExampleFixtures.PLAN_TRACE);
    assertThat(plan).containsPattern("aqe\\.memory\\.retrieve \\[test-plan-user-service\\][^\\n]*\\n"
        + "[^\\n]*└─ namespace: aqe/test-plans, found: true, size: 262 bytes *│\\n"
        + "[^\\n]*└─ written 8.00 ms earlier by aqe\\.task\\.generate, this trace *│");
    assertThat(plan).containsPattern("GET \\[aqe/test-plans:test-plan-user-service\\][^\\n]*\\n[^\\n]*\\n"
        + "[^\\n]*└─ written 10 ms earlier by aqe\\.task\\.generate, this trace");
    assertThat(plan).as("a search's key is a pattern: no lineage line").doesNotContain("pattern: test-plan-%, results: 0, └");

    String rewrite = traces(ExampleFixtures.REWRITE_TRACE);
    assertThat(rewrite).contains("└─ found nothing: expired, written 3.0 s earlier with a 1.0 s TTL by SETEX in "
        + "aqe-planner, this trace");
    // no TTL ran out and no keyspace notification was recorded: the cause is unknown, never guessed
    assertThat(rewrite).contains("└─ found nothing: unknown (no keyspace notifications for this Redis at that time; "
        + "turn on with --keyspace-events on); written 2.0 s earlier by SETEX, this trace");

    String reader = traces(LineageFixtures.READER_TRACE);
    assertThat(reader).contains("└─ written 100 ms earlier by app.task.generate in writer-svc, trace 00000000…")
        .contains("└─ writer not in the store").contains("└─ writer compressed by retention")
        .contains("└─ found nothing: never written (in the store's retention); changes outside the traced services are "
            + "unknown without keyspace notifications")
        .contains("└─ found nothing: deleted 79 ms earlier by DEL in writer-svc, trace 00000000…");
    assertThat(reader).as("nothing sampled: no keyspace lines").doesNotContain("Keyspace at trace start");
  }

  @Test
  void shouldGiveEachNamespacesSizeInTheSampleNearestTheTracesStart() throws Exception {
    TestStores.fill(dir, ExampleFixtures.fleet());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + new StoreFiles(dir).database());
         Statement s = c.createStatement()) {
      // samples 10 s before and 2 s after the trace began; another Redis and an untouched namespace
      s.execute("INSERT INTO keyspace (time, redis, db, namespace, keys, bytes, bytes_error, stale) VALUES "
          + "(TIMESTAMP '2024-11-20 07:59:50', '127.0.0.1:6379', 0, 'aqe/test-plans', 11, 2800, 0, false), "
          + "(TIMESTAMP '2024-11-20 08:00:02', '127.0.0.1:6379', 0, 'aqe/test-plans', 12, 3150, 200, false), "
          + "(TIMESTAMP '2024-11-20 08:00:02', '10.9.9.9:6379', 0, 'aqe/test-plans', 999, 1, 0, false), "
          + "(TIMESTAMP '2024-11-20 08:00:02', '127.0.0.1:6379', 0, 'unrelated', 5, 5, 0, false)");
    }
    String plan = traces(ExampleFixtures.PLAN_TRACE);
    assertThat(plan).contains("Keyspace at trace start (the watcher's nearest sample):\n"
        + "  aqe/test-plans on 127.0.0.1:6379 db 0: 12 keys, 3.1 KB ±200 B, sampled 2.0 s after\n");
    assertThat(plan).doesNotContain("10.9.9.9").doesNotContain("unrelated");
  }

  @Test
  void shouldAnswerAsTheViewDoesForEveryReadOfATrace() throws Exception {
    // the reader without its writer: a read whose key was never written needs the whole-store step
    TestStores.fill(dir, ExampleFixtures.fleet(), ExampleFixtures.chat(), LineageFixtures.reader(),
        LineageFixtures.memory());
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      List<String> traces = List.of(ExampleFixtures.PLAN_TRACE, ExampleFixtures.REWRITE_TRACE,
          ExampleFixtures.CHAT_TRACE, LineageFixtures.READER_TRACE);
      // every read's row asked once (a question of the view costs about a second), taken trace by trace
      ResultTable lineage = store.query("SELECT read_span_id, writer, write_span_id, miss, value_age_ms, read_trace_id, "
          + "key FROM lineage");
      assertThat(lineage.truncated()).isFalse();
      List<TraceLineage.Trace> all = new java.util.ArrayList<>();
      Map<String, Map<String, ReadLineage>> alone = new java.util.HashMap<>();
      for (String trace : traces) {
        ResultTable view = LineageRowsByKey.where(lineage, "read_trace_id", trace);
        ResultTable span = store.query("SELECT min(epoch_us(start_time)) AS t0, max(epoch_us(end_time)) AS t1, "
            + "list(DISTINCT memory_key) FILTER (WHERE memory_key IS NOT NULL) AS keys FROM spans WHERE trace_id = '" + trace + "'");
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) span.value(0, "keys");
        all.add(new TraceLineage.Trace(trace, keys, span.number(0, "t0"), span.number(0, "t1")));
        Map<String, ReadLineage> scoped = TraceLineage.of(store, trace, keys, span.number(0, "t0"), span.number(0, "t1"));
        alone.put(trace, scoped);
        assertThat(scoped).as(trace).hasSize(view.size());
        for (int i = 0; i < view.size(); i++) {
          ReadLineage read = scoped.get(view.text(i, "read_span_id"));
          assertThat(read.writer()).as(trace + " " + view.rows().get(i)).isEqualTo(view.text(i, "writer"));
          assertThat(read.miss()).isEqualTo(view.text(i, "miss"));
          assertThat(read.ageMillis()).isEqualTo(view.decimal(i, "value_age_ms"));
        }
      }
      // all four in one call, as traces --last asks: each trace's reads get the answers they get alone
      Map<String, Map<String, ReadLineage>> together = TraceLineage.of(store, all);
      for (TraceLineage.Trace trace : all) {
        assertThat(together.getOrDefault(trace.traceId(), Map.of())).as(trace.traceId())
            .isEqualTo(alone.get(trace.traceId()))
            .hasSize(LineageRowsByKey.where(lineage, "read_trace_id", trace.traceId()).size());
      }
      ResultTable old = LineageRowsByKey.where(lineage, "key", "cache:old");
      assertThat(old.decimal(0, "value_age_ms")).as("found by the day-long window").isEqualTo(1_209_499.0);
    }
  }

  private String traces(String trace) {
    Cli result = Cli.run("traces", "--data", dir.toString(), "--trace", trace, "--width", "200");
    assertThat(result.exitCode).as("%s", result).isZero();
    return result.out;
  }
}
