package io.memtrace.collector.clickhouse.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.MemoryCallTotals;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.lineage.LineageFixtures;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.HealthFixtures;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.Section;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The memory calls, the keys per layer and the spans per layer, namespace, operation and hour kept at insert
 * ({@code memtrace_memory_calls}, {@code memtrace_layer_keys}, {@code memtrace_layer_ops}) against the same sections computed from the spans, on the real engine (ClickHouse 26.9 in chDB behind the test
 * front): HealthFixtures' memory calls (with their Redis commands, fingerprints, TTL findings, an N+1 and tenants by
 * key) and LineageFixtures' Redis spans, inserted all at once and in reverse, a call's commands in one insert and
 * every other span alone (a call's commands before the call, each in a part of its own until ClickHouse merges them;
 * the spans in ones took 42 s in a test run, each insert running every view), and filled by {@code clickhouse init} on a
 * store made before the tables.
 */
class KeptTotalsIT {

  /** The sections the kept tables answer. */
  private static final Set<String> KEPT_SECTIONS = Set.of("ttl_truth", "memory_health", "memory_commands", "hot_keys",
      "written_never_read", "read_once", "no_ttl", "namespace_growth", "largest_values", "overview",
      "slowest_operations", "namespaces", "latency", "cache_and_errors");

  /** The tables kept at insert this class checks. */
  private static final List<String> KEPT_TABLES = List.of("memtrace_memory_calls", "memtrace_layer_keys",
      "memtrace_layer_ops", "memtrace_memory_call_counts");

  @AutoClose
  private static ChdbFront front;

  @BeforeAll
  static void start() throws Exception {
    front = ChdbFront.startIn("kept-totals");
  }

  private static List<ExportTraceServiceRequest> payloads() {
    List<ExportTraceServiceRequest> all = new ArrayList<>(HealthFixtures.payloads());
    all.addAll(List.of(LineageFixtures.writer(), LineageFixtures.reader(), LineageFixtures.memory()));
    return all;
  }

  @Test
  void shouldGiveTheSectionsTheSpansGiveWhenTheSpansArriveTogether() throws Exception {
    ClickHouseReader reader = load("together", List.of(payloads()), false);

    // the fixtures' calls that asked for a TTL Redis did not set are listed: memory health reads them on their own
    assertThat(reader.rows().query(KeptCallTotals.anyCallsRead()).number(0, "n")).isPositive();
    assertKeptAsFromSpans(reader, FROM_WHOLE_PAYLOADS);
  }

  /**
   * Where no call is to be read on its own (none late, fingerprinted or with a listed TTL finding), memory health's
   * statement leaves out its per-call parts and gives the rows the whole statement gives, in both layers.
   */
  @Test
  void shouldGiveMemoryHealthsCountsWithoutTheCallsPartsWhereNoCallIsReadAlone() throws Exception {
    List<Span> reads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      reads.add(SpanFixtures.memory(TRACES[2], null, "retrieve", 20 + i, 1, "k" + i, "plain-a/ns", null));
    }
    ClickHouseReader reader = load("plain", List.of(List.of(SpanFixtures.storeTrace("plain-a", TRACES[0], 6),
        SpanFixtures.storeTrace("plain-b", TRACES[1], 3), SpanFixtures.request("plain-a", reads))), false);
    SqlSource rows = reader.rows();

    assertThat(rows.query(KeptCallTotals.anyCallsRead()).number(0, "n")).isZero();
    // the reader asks the totals without the calls read on their own
    io.memtrace.collector.query.RecordingSource recording = new io.memtrace.collector.query.RecordingSource(rows);
    reader.report(new ReportRequest(null, 6, Layer.MEMORY), recording);
    assertThat(recording.statements()).anyMatch(st -> st.contains("FROM " + KeptCallTotals.of("totals") + "), "))
        .noneMatch(st -> st.contains("SELECT DISTINCT Call FROM " + KeptCallTotals.of("late")));
    for (boolean redisLayer : new boolean[] {false, true}) {
      List<List<Object>> lean = rows.query(KeptCallTotals.statement(redisLayer, 20, false)).rows();
      assertThat(lean).as("redis layer: " + redisLayer)
          .isEqualTo(rows.query(KeptCallTotals.statement(redisLayer, 20, true)).rows())
          // the calls per store and operation, and the keys written per store
          .extracting(r -> r.get(0)).containsOnly("calls", "keys").hasSize(5);
    }
  }

  @Test
  void shouldGiveTheSectionsTheSpansGiveWhenEachCallsCommandsArriveApartInReverse() throws Exception {
    List<List<ExportTraceServiceRequest>> inserts = OtelTracesRows.siblingRunsDealtInReverse(payloads(), 14);
    assertThat(inserts.size()).as("inserts").isEqualTo(14);
    ClickHouseReader reader = load("scattered", inserts, true);

    for (String table : KEPT_TABLES.subList(0, 3)) {
      assertThat(reader.rows().query("SELECT count() AS n FROM system.parts WHERE active AND database = 'scattered' "
          + "AND table = '" + table + "'").number(0, "n")).as(table + "'s parts, not merged").isGreaterThan(10);
    }
    // calls whose commands came in another insert: the totals are corrected by their merged rows
    assertThat(reader.rows().query("SELECT count() AS n FROM " + KeptCallTotals.of("late") + " AND Call IN (SELECT "
        + "Call FROM memtrace_memory_calls WHERE IsCall > 0)").number(0, "n")).as("late calls").isGreaterThan(3);
    assertKeptAsFromSpans(reader, new HashMap<>());
  }

  /**
   * Keys tied at the key lists' boundaries, where their order is their key's alone, each key's rows in several
   * inserts with merges stopped (a later write, read, delete or TTL changing a key's totals), and one key in two
   * namespaces: the reader's merge of the kept totals gives the rows the spans give, grouped over several parts as
   * read whole from one.
   */
  @Test
  void shouldGiveTheKeyListsTheSpansGiveWhenKeysTieAtTheirBoundariesAcrossParts() throws Exception {
    ClickHouseReader reader = load("tied", tiedKeys(), true);

    assertThat(reader.rows().query("SELECT count() AS n FROM system.parts WHERE active AND database = 'tied' AND "
        + "table = 'memtrace_layer_keys'").number(0, "n")).as("the keys' parts, not merged").isEqualTo(3);
    ReportRequest request = new ReportRequest(null, 6, Layer.MEMORY);
    // grouped over the three parts (the two beside the largest hold 30 % of the rows); read with FINAL once
    // ClickHouse has merged them into one; and with FINAL over two parts when a small insert lands beside that one
    String grouped = "GROUP BY cityHash64(Namespace, Key)";
    String whole = "FROM memtrace_layer_keys FINAL WHERE";
    List<String> merges = List.of(grouped, whole, whole);
    // the sections from the spans, by request: the same at the first two stages (the merge changes only the kept
    // table), computed again after the insert of the third
    Map<ReportRequest, Report> fromSpans = new HashMap<>();
    for (int stage = 0; stage < merges.size(); stage++) {
      String merge = merges.get(stage);
      // the stage's store, unchanged until its end
      SqlSource rows = AskedOnce.of(reader.rows());
      io.memtrace.collector.query.RecordingSource recording = new io.memtrace.collector.query.RecordingSource(rows);
      Report kept = reader.report(request, recording);
      assertThat(recording.statements()).as(merge).anyMatch(s -> s.contains(merge))
          .noneMatch(s -> s.contains(merge.equals(grouped) ? whole : grouped));
      assertThat(sameSections(reader, rows, request, kept, fromSpans)).as(merge + ": rows compared")
          .isGreaterThan(40);
      Section neverRead = kept.sections().stream().filter(s -> s.id().equals("written_never_read")).findFirst()
          .orElseThrow();
      // 30 keys of size 100 (and shared:k, smaller): the 17 of two accesses first, then 3 of the 13 of one, by key
      assertThat(neverRead.table().size()).isEqualTo(ClickHouseReport.LIST);
      assertThat(neverRead.table().text(ClickHouseReport.LIST - 1, "key")).isEqualTo("tie:k08");
      if (stage == 0) {
        front.query("tied", "SYSTEM START MERGES tied.memtrace_layer_keys");
        front.query("tied", "OPTIMIZE TABLE tied.memtrace_layer_keys FINAL");
      } else if (stage == 1) {
        front.query("tied", "SYSTEM STOP MERGES tied.memtrace_layer_keys");
        insert("tied", recentKeys());
        fromSpans.clear();
        assertThat(reader.rows().query("SELECT count() AS n FROM system.parts WHERE active AND database = 'tied' "
            + "AND table = 'memtrace_layer_keys'").number(0, "n")).as("a small part beside the merged one")
            .isEqualTo(2);
      }
    }
  }

  /**
   * An insert of three keys' accesses after {@link #tiedKeys}: once:k28 and once:k29 read again (out of the read-once
   * list), and a new key written and never read, smaller than the never-read list's keys (so out of it).
   */
  private static List<ExportTraceServiceRequest> recentKeys() {
    long at = 1_000;
    return List.of(SpanFixtures.request("tied", List.of(
        SpanFixtures.memory(TRACES[2], null, "retrieve", at++, 1, "once:k29", "once", null),
        SpanFixtures.memory(TRACES[2], null, "retrieve", at++, 1, "once:k28", "once", null),
        SpanFixtures.memory(TRACES[2], null, "store", at, 1, "late:k00", "late", 5L))));
  }

  private static void insert(String database, List<ExportTraceServiceRequest> payloads) throws Exception {
    FleetFront.insert(front, database, payloads);
  }

  /**
   * Three inserts of memory spans. {@code tie:k00..k29} written with no TTL, size 100, the odd ones again in the
   * second insert; in the third, k00 deleted and k02 written again with a TTL. {@code once:k00..k29} read once (no
   * size), k00-k04 in the second insert, and k05 written in the third. {@code shared:k} in two namespaces.
   */
  private static List<List<ExportTraceServiceRequest>> tiedKeys() {
    List<List<Span>> inserts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    long at = 0;
    for (int i = 0; i < 30; i++) {
      String k = String.format("k%02d", i);
      inserts.get(0).add(SpanFixtures.memory(TRACES[0], null, "store", at++, 1, "tie:" + k, "tie", 100L));
      if (i % 2 == 1) {
        inserts.get(1).add(SpanFixtures.memory(TRACES[1], null, "store", at++, 1, "tie:" + k, "tie", 100L));
      }
      inserts.get(i < 5 ? 1 : 0).add(SpanFixtures.memory(TRACES[i < 5 ? 1 : 0], null, "retrieve", at++, 1,
          "once:" + k, "once", null));
    }
    inserts.get(2).add(SpanFixtures.memory(TRACES[2], null, "delete", at++, 1, "tie:k00", "tie", null));
    inserts.get(2).add(SpanFixtures.memory(TRACES[2], null, "store", at++, 1, "tie:k02", "tie", 100L, "memory.ttl",
        60L));
    inserts.get(2).add(SpanFixtures.memory(TRACES[2], null, "store", at++, 1, "once:k05", "once", 10L));
    inserts.get(0).add(SpanFixtures.memory(TRACES[0], null, "store", at++, 1, "shared:k", "tie", 7L));
    inserts.get(2).add(SpanFixtures.memory(TRACES[2], null, "store", at++, 1, "shared:k", "once", 7L));
    List<List<ExportTraceServiceRequest>> out = new ArrayList<>();
    for (List<Span> spans : inserts) {
      out.add(List.of(SpanFixtures.request("tied", spans)));
    }
    return out;
  }

  private static final String[] TRACES = {"0000000000000000000000000000a001", "0000000000000000000000000000a002",
      "0000000000000000000000000000a003"};

  @Test
  void shouldFillTheKeptTotalsOnceOnAStoreMadeBeforeThem() throws Exception {
    ClickHouseReader reader = load("older", List.of(payloads()), false);
    // the schema of a memtrace before the two tables: their views and tables are not there
    List<String> dropped = new ArrayList<>(List.of("memtrace_memory_calls_mv",
        "memtrace_memory_calls", "memtrace_layer_keys_mv", "memtrace_layer_keys", "memtrace_layer_ops_mv",
        "memtrace_layer_ops"));
    dropped.addAll(TOTALS_TABLES);
    for (String name : dropped) {
      front.query(null, "DROP TABLE older." + name);
    }
    SqlSource rows = reader.rows();
    String typed = TypedSpans.from(0, "", List.of("memory_operation", "memory_key", "memory_namespace",
        "db_system_name", "db_system"));
    long calls = rows.query("SELECT count() AS n FROM " + typed + " WHERE memory_operation IS NOT NULL").number(0, "n");
    long keys = rows.query("SELECT count() AS n FROM (SELECT DISTINCT memory_operation IS NOT NULL, memory_key, "
        + "memory_namespace FROM " + typed + " WHERE memory_key IS NOT NULL AND (memory_operation IS NOT NULL OR "
        + "db_system_name IS NOT NULL OR db_system IS NOT NULL) AND upper(coalesce(memory_operation, '')) != 'SEARCH')")
        .number(0, "n");

    long spans = rows.query("SELECT count() AS n FROM otel_traces").number(0, "n");

    List<String> first = init("older");
    List<String> second = init("older");

    assertThat(first).contains("filled older.memtrace_memory_calls from the spans stored before it (" + calls
        + " memory calls)", "created older.memtrace_memory_calls", "created older.memtrace_layer_keys",
        "filled older.memtrace_layer_ops from the spans stored before it (" + spans + " spans)",
        "created older.memtrace_layer_ops");
    assertThat(first).anyMatch(line -> line.startsWith("filled older.memtrace_layer_keys from the spans stored before"));
    assertThat(rows.query("SELECT count() AS n FROM memtrace_layer_keys FINAL").number(0, "n")).isEqualTo(keys);
    assertKeptAsFromSpans(reader, FROM_WHOLE_PAYLOADS);
    assertThat(second).containsExactly("adopted older.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in older");
  }

  @Test
  void shouldFillMemoryHealthsCountsOnceOnAStoreThatKeptTheCallsBeforeThem() throws Exception {
    ClickHouseReader reader = load("calls_only", List.of(payloads()), false);
    // the schema of a memtrace that kept the calls but not memory health's counts
    for (String name : TOTALS_TABLES) {
      front.query(null, "DROP TABLE calls_only." + name);
    }
    long calls = reader.rows().query("SELECT uniqExactIf(Call, IsCall > 0) AS n FROM memtrace_memory_calls")
        .number(0, "n");

    List<String> first = init("calls_only");
    List<String> second = init("calls_only");

    assertThat(first).contains("filled calls_only.memtrace_memory_call_counts from the calls stored before it ("
        + calls + " memory calls)", "created calls_only.memtrace_memory_call_counts",
        "created calls_only.memtrace_memory_call_counts_mv");
    assertKeptAsFromSpans(reader, FROM_WHOLE_PAYLOADS);
    assertThat(second).containsExactly("adopted calls_only.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in calls_only");
  }

  /** memory health's counts kept at insert: the table and its view. */
  private static final List<String> TOTALS_TABLES = List.of("memtrace_memory_call_counts_mv",
      "memtrace_memory_call_counts");

  /**
   * The sections computed from the spans alone of a database that {@link #payloads()} went into in one insert, by
   * request: the same rows in each such database (together, older, calls_only), so computed in the first of them and
   * compared with in all three. The scattered inserts' database computes its own: its parts are not merged.
   */
  private static final Map<ReportRequest, Report> FROM_WHOLE_PAYLOADS = new ConcurrentHashMap<>();

  /**
   * Every section the kept tables answer, of both layers and of the memory layer under HealthFixtures' tenant rule (by
   * key), is the section the reader computes from the spans where the store has no such table (taken from
   * {@code fromSpans} when there, else computed into it); and the kept tables were read.
   */
  private static void assertKeptAsFromSpans(ClickHouseReader reader, Map<ReportRequest, Report> fromSpans) {
    SqlSource rows = AskedOnce.of(reader.rows());
    List<ReportRequest> requests = List.of(new ReportRequest(null, 6, Layer.MEMORY),
        new ReportRequest(null, 6, Layer.REDIS), new ReportRequest(null, 6, Layer.MEMORY, HealthFixtures.RULE));
    for (ReportRequest request : requests) {
      io.memtrace.collector.query.RecordingSource recording = new io.memtrace.collector.query.RecordingSource(rows);
      Report kept = reader.report(request, recording);
      String at = request.layer() + (request.tenant().any() ? " by tenant" : "");
      // the kept calls, each one's rows merged
      assertThat(recording.statements()).as(at)
          .anyMatch(s -> s.matches("(?s).* FROM memtrace_memory_calls( WHERE Call IN cand)? GROUP BY Call\\).*"))
          .anyMatch(s -> request.tenant().any() || s.contains("FROM " + KeptCallTotals.of("totals") + " UNION ALL"))
          .anyMatch(s -> s.matches("(?s).*FROM memtrace_layer_keys( FINAL)? WHERE Layer = '"
              + request.layer().viewName() + "'[) ].*"))
          // the TTL truth's keys with no TTL: the kept totals of the namespaces that may have one, not all
          .anyMatch(s -> s.matches("(?s).*FROM memtrace_layer_keys( FINAL)? WHERE Layer = '"
              + request.layer().viewName() + "' AND Namespace IN \\('.*"))
          .anyMatch(s -> s.contains("FROM memtrace_layer_ops WHERE Layer = 'span'"))
          // the TTL drift's Redis spans by the ids the ops table names under the record pattern's prefix
          .anyMatch(s -> s.contains("GLOBAL IN (SELECT TraceId, SpanId FROM memtrace_ops WHERE startsWith(Key, "
              + "'checkpoint'))"))
          .noneMatch(s -> s.contains("quantileExactInclusive(0.95)(duration_ms)"))
          .noneMatch(s -> s.contains("ORDER BY size DESC, key LIMIT"));
      assertThat(sameSections(reader, rows, request, kept, fromSpans)).as(at + ": rows compared").isGreaterThan(10);
    }
  }

  /**
   * Asserts that each section the kept tables answer in {@code kept} is the section the reader computes from the
   * spans (of {@code rows}, the reader's) where the store has no such table (from {@code fromSpansByRequest}, or
   * computed into it); returns the rows compared.
   */
  private static int sameSections(ClickHouseReader reader, SqlSource rows, ReportRequest request, Report kept,
      Map<ReportRequest, Report> fromSpansByRequest) {
    SqlSource earlier = Unanswered.without(rows, Set.of(KeptTable.probe(ClickHouseHealth.CALLS),
        KeptTable.probe(KeySections.KEPT), KeptTable.probe(KeptOperations.KEPT),
        KeptTable.probe(MemoryCallTotals.COUNTS)));
    Report fromSpans = fromSpansByRequest.computeIfAbsent(request, r -> reader.report(r, earlier));
    String at = request.layer() + (request.tenant().any() ? " by tenant" : "");
    int compared = 0;
    for (Section want : fromSpans.sections()) {
      if (KEPT_SECTIONS.contains(want.id())) {
        Section got = kept.sections().stream().filter(s -> s.id().equals(want.id())).findFirst().orElseThrow();
        assertThat(got.toString()).as(at + " " + want.id()).isEqualTo(want.toString()).doesNotContain("Not computed");
        compared += want.table().size();
      }
    }
    return compared;
  }

  private static List<String> init(String database) {
    ClickHouseUrl url = ClickHouseUrl.parse(front.url(database), java.util.Map.of(ClickHouseUrl.USER_ENV, front.user(),
        ClickHouseUrl.PASSWORD_ENV, front.password()));
    try (ClickHouseSession session = ClickHouseSession.open(url)) {
      return SchemaInit.run(session, new SchemaOptions(database, null, 0, true));
    }
  }

  /**
   * A database with the schema, each list of payloads inserted in turn as one insert; with {@code apart}, the kept
   * tables' parts are not merged in the background, so the reader is what combines a call's rows (grouped) or a key's
   * ({@code FINAL}) (with fewer inserts ClickHouse had merged them before the test looked).
   */
  private static ClickHouseReader load(String database, List<List<ExportTraceServiceRequest>> inserts, boolean apart)
      throws Exception {
    ClickHouseUrl url = FleetFront.init(front, database);
    if (apart) {
      for (String table : KEPT_TABLES) {
        front.query(database, "SYSTEM STOP MERGES " + database + "." + table);
      }
    }
    for (List<ExportTraceServiceRequest> payloads : inserts) {
      insert(database, payloads);
    }
    return (ClickHouseReader) ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD);
  }
}
