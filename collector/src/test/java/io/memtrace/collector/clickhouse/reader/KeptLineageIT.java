package io.memtrace.collector.clickhouse.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.LineageReadRows;
import io.memtrace.collector.clickhouse.LineageRows;
import io.memtrace.collector.clickhouse.NextAccessRows;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.lineage.LineageFixtures;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lineage kept at insert ({@code memtrace_lineage}, {@link io.memtrace.collector.clickhouse.LineageRows}) against the
 * join over the whole store, on the real engine (ClickHouse 26.9 in chDB behind the test front), whatever order the
 * spans arrive in: all at once, the reads before their writes, and one span per insert in reverse order. The
 * fixture's spans (two services on one Redis, a second Redis and database, a refused write, a write still running at
 * a read, a delete, an expiry, an eviction, a memory manager's records) are each inserted as the exporter writes them.
 * The report's lineage sections read from each read's rows kept apart ({@code memtrace_lineage_reads}, without
 * {@code FINAL}) are those of {@code memtrace_lineage FINAL} and of the join, in each of those orders and on an
 * upgraded store.
 */
class KeptLineageIT {

  @AutoClose
  private static ChdbFront front;

  @BeforeAll
  static void start() throws Exception {
    front = ChdbFront.startIn("kept-lineage");
  }

  private static final List<ExportTraceServiceRequest> IN_ORDER = List.of(LineageFixtures.writer(),
      LineageFixtures.reader(), LineageFixtures.memory());

  @Test
  void shouldKeepTheWritersTheJoinFindsWhenTheSpansArriveTogether() throws Exception {
    SqlSource rows = AskedOnce.of(load("together", List.of(List.of(IN_ORDER.get(0), IN_ORDER.get(1),
        IN_ORDER.get(2))), true));

    assertKeptAsJoined(rows);
    assertWastedAsFollowed(rows);
    assertSectionsAsFinal(rows);
  }

  @Test
  void shouldCorrectAReadsWriterWhenTheWriteArrivesAfterTheRead() throws Exception {
    SqlSource rows = load("late", List.of(List.of(LineageFixtures.reader(), LineageFixtures.memory())), true);
    assertThat(writerOf(rows, "user:1")).as("before its write arrived").isNull();

    insert("late", List.of(LineageFixtures.writer()));
    rows = AskedOnce.of(rows);

    assertThat(writerOf(rows, "user:1")).isEqualTo(LineageFixtures.WRITER_TRACE);
    assertKeptAsJoined(rows);
    assertWastedAsFollowed(rows);
    assertSectionsAsFinal(rows);
  }

  @Test
  void shouldKeepEachWritesNextAccessWhenItArrivesInALaterInsert() throws Exception {
    List<List<ExportTraceServiceRequest>> inOrder = new ArrayList<>(OtelTracesRows.eachSpanAloneInReverse(IN_ORDER));
    java.util.Collections.reverse(inOrder);
    SqlSource rows = AskedOnce.of(load("forward", inOrder, true));

    // each write's next access came in an insert after it: the write has a row with none, and one with the access
    assertThat(rows.query("SELECT count() AS n FROM (SELECT Place, Time FROM memtrace_next_access GROUP BY Place, Time "
        + "HAVING count() > 1 AND tupleElement(max(Next), 5) = 'none' AND tupleElement(min(Next), 5) != 'none')").number(0, "n"))
        .as("writes followed in a later insert").isGreaterThan(5);
    assertWastedAsFollowed(rows);
    assertSectionsAsFinal(rows);
  }

  @Test
  void shouldTakeALateWriteBetweenAWriteAndItsReadAsTheNextAccess() throws Exception {
    // over:1 written at 61 ms and 62 ms, read at 150: the write at 62 arrives last, after the write at 61 was
    // followed to the read
    List<ExportTraceServiceRequest> spans = OtelTracesRows.eachSpanAloneInReverse(IN_ORDER).stream()
        .map(insert -> insert.get(0)).toList();
    List<ExportTraceServiceRequest> late = spans.stream().filter(KeptLineageIT::isSecondWriteOfOver).toList();
    assertThat(late).hasSize(1);
    List<ExportTraceServiceRequest> others = spans.stream().filter(s -> !isSecondWriteOfOver(s)).toList();
    SqlSource rows = load("between", List.of(others), true);
    assertThat(overwrittenOf(rows)).as("before the write at 62 ms").isZero();

    insert("between", late);
    rows = AskedOnce.of(rows);

    assertThat(overwrittenOf(rows)).isEqualTo(1);
    assertWastedAsFollowed(rows);
  }

  @Test
  void shouldKeepEachWritesNextAccessWhateverTheOrderOfArrival() throws Exception {
    List<List<ExportTraceServiceRequest>> spans = OtelTracesRows.eachSpanAloneInReverse(IN_ORDER);
    for (long seed : new long[] {7, 48}) {
      List<List<ExportTraceServiceRequest>> shuffled = new ArrayList<>(spans);
      java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
      SqlSource rows = AskedOnce.of(load("shuffled" + seed, inFours(shuffled), true));
      assertWastedAsFollowed(rows);
      assertSectionsAsFinal(rows);
    }
  }

  /** The inserts of one span each, four to an insert, in their order. */
  private static List<List<ExportTraceServiceRequest>> inFours(List<List<ExportTraceServiceRequest>> each) {
    List<List<ExportTraceServiceRequest>> inserts = new ArrayList<>();
    for (int i = 0; i < each.size(); i += 4) {
      inserts.add(each.subList(i, Math.min(i + 4, each.size())).stream().flatMap(List::stream).toList());
    }
    return inserts;
  }

  private static boolean isSecondWriteOfOver(ExportTraceServiceRequest request) {
    var span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    return span.getAttributesList().stream().anyMatch(a -> a.getKey().equals("memory.value_size")
        && a.getValue().getIntValue() == 8L);
  }

  private static long overwrittenOf(SqlSource rows) {
    Section wasted = new ReportLineage(rows).wastedWrites(Layer.REDIS, 0);
    ResultTable t = wasted.table();
    long n = 0;
    for (int i = 0; i < t.size(); i++) {
      n += t.number(i, "overwritten");
    }
    return n;
  }

  /**
   * Wasted writes counted from each write's kept next access ({@code memtrace_next_access}) are those of the window
   * over every access of the kept lineage and those of the join over the spans, in each layer and in a Redis-layer
   * report's statement over both.
   */
  private static void assertWastedAsFollowed(SqlSource rows) {
    List<String> asked = new ArrayList<>();
    SqlSource kept = Unanswered.answering(asked, Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS))::query,
        rows.describe());
    SqlSource window = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS, NEXT_KEPT));
    SqlSource joined = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS, Lineage.KEPT, NEXT_KEPT));
    int counted = 0;
    // each layer's section of each source asked once: the join's are compared again below
    java.util.Map<Layer, ReportLineage> fromJoin = new java.util.EnumMap<>(Layer.class);
    java.util.Map<Layer, String> joinedSection = new java.util.EnumMap<>(Layer.class);
    for (Layer layer : Layer.values()) {
      fromJoin.put(layer, new ReportLineage(joined));
      joinedSection.put(layer, fromJoin.get(layer).wastedWrites(layer, 0).toString());
      Section fromKept = new ReportLineage(kept).wastedWrites(layer, 0);
      assertThat(fromKept.toString()).as(layer.viewName()).doesNotContain("Not computed")
          .isEqualTo(new ReportLineage(window).wastedWrites(layer, 0).toString())
          .isEqualTo(joinedSection.get(layer));
      counted += fromKept.table().size();
    }
    assertThat(counted).as("namespaces with writes").isGreaterThan(3);
    ReportLineage both = new ReportLineage(kept);
    assertThat(both.wastedWrites(Layer.REDIS, 0, true).toString()).isEqualTo(joinedSection.get(Layer.REDIS));
    // the join's memory-layer counts, as its memory-layer section counted them
    assertThat(both.wasted(Layer.MEMORY, 0)).isEqualTo(fromJoin.get(Layer.MEMORY).wasted(Layer.MEMORY, 0));
    assertThat(asked).as("the kept writes read with their next access's time and kind")
        .anyMatch(sql -> sql.contains("NextAccess.3") && sql.contains(NextAccessRows.TABLE + " FINAL"))
        .noneMatch(sql -> sql.contains("Next.5"));
  }

  /** The statement that asks whether the store keeps each write's next access. */
  private static final String NEXT_KEPT = ReportWastedWrites.NEXT_KEPT;

  @Test
  void shouldKeepTheWritersTheJoinFindsWhenEachSpanArrivesAloneInReverse() throws Exception {
    List<List<ExportTraceServiceRequest>> inserts = OtelTracesRows.eachSpanAloneInReverse(IN_ORDER);
    // merges stopped: a read's versions stay side by side, as between merges
    SqlSource rows = AskedOnce.of(load("scattered", inserts, true));

    assertKeptAsJoined(rows);
    assertWastedAsFollowed(rows);
    // reads that arrived before their writes: the late view wrote their versions, whose greatest the sections take
    assertThat(rows.query("SELECT count() AS n FROM " + LineageReadRows.TABLE + " WHERE Late").number(0, "n"))
        .as("late versions of reads").isGreaterThan(2);
    assertSectionsAsFinal(rows);
    // over:1 was written at 61 and 62 ms (1 ms each) and read at 150: the read arrived first, then the write at 62,
    // then the one at 61, whose row for the read is older than the one it has; the write that ended at 63 ms stays
    assertThat(rows.query("SELECT WriteEnd FROM memtrace_lineage FINAL WHERE Row = 'read' AND Key = 'over:1'")
        .rows()).containsExactly(List.of(SpanFixtures.T0 / 1000 + 63_000));
  }

  @Test
  void shouldGiveTheSameReportSectionsFromTheKeptRowsAsFromTheJoin() throws Exception {
    // the table's merges stopped: the reads that arrived before their writes keep both their versions, which wasted
    // writes (read without FINAL) meet side by side
    SqlSource rows = AskedOnce.of(load("sections", List.of(List.of(LineageFixtures.reader()),
        List.of(LineageFixtures.writer(), LineageFixtures.memory())), true));
    assertThat(rows.query("SELECT count() AS n FROM memtrace_lineage WHERE Row = 'read'").number(0, "n"))
        .as("a read's versions, unmerged").isGreaterThan(
            rows.query("SELECT count() AS n FROM memtrace_lineage FINAL WHERE Row = 'read'").number(0, "n"));
    SqlSource kept = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS));
    SqlSource joined = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS, Lineage.KEPT, NEXT_KEPT));
    for (Layer layer : Layer.values()) {
      List<Section> fromKept = new ReportLineage(kept).sections(layer, 0);
      List<Section> fromJoin = new ReportLineage(joined).sections(layer, 0);
      assertThat(fromKept.toString()).as(layer.viewName()).isEqualTo(fromJoin.toString()).doesNotContain("Not computed");
      assertThat(new ReportLineage(kept).wastedWrites(layer, 0).toString()).as(layer.viewName())
          .isEqualTo(new ReportLineage(joined).wastedWrites(layer, 0).toString());
    }
    assertThat(new ReportLineage(kept).wastedWrites(Layer.values()[0], 0).toString())
        .doesNotContain("Not computed");
    // a Redis-layer report's statement, which counts the memory layer's too (the whole table)
    assertThat(new ReportLineage(kept).wastedWrites(Layer.REDIS, 0, true).toString())
        .isEqualTo(new ReportLineage(joined).wastedWrites(Layer.REDIS, 0).toString());
  }

  @Test
  void shouldFillTheKeptLineageOnceOnAStoreMadeBeforeIt() throws Exception {
    SqlSource rows = load("older", List.of(IN_ORDER));
    // the schema of a memtrace before memtrace_lineage: its views and tables are not there
    for (String name : List.of("memtrace_lineage_reads_mv", "memtrace_lineage_reads", "memtrace_next_access_mv",
        "memtrace_next_access", "memtrace_lineage_late_mv", "memtrace_lineage_mv", "memtrace_lineage_events_mv",
        "memtrace_lineage_events", "memtrace_lineage")) {
      front.query(null, "DROP TABLE older." + name);
    }
    Lineage lineage = new Lineage(rows);
    long reads = 0;
    for (Layer layer : Layer.values()) {
      reads += rows.query(lineage.joinedRows(layer, 0, false)).size();
    }

    assertThat(init("older", false)).as("without --lineage-at-insert, the default").noneMatch(
        line -> line.contains("memtrace_lineage"));
    assertThat(rows.query("SELECT name FROM system.tables WHERE database = 'older' AND name LIKE '%lineage%'").size())
        .isZero();
    List<String> first = init("older", true);
    List<String> second = init("older", true);
    rows = AskedOnce.of(rows);

    assertThat(first).contains("filled older.memtrace_lineage from the spans stored before it (" + reads
        + " reads with their writers)", "created older.memtrace_lineage",
        // the facts the default init split (SpanFacts.split) in one view again: an insert's reads beside its writes
        "redefined older.memtrace_span_facts_mv to read every span's statement words, and dropped "
            + "older.memtrace_statement_spans_mv, older.memtrace_statement_facts_mv and "
            + "older.memtrace_statement_spans: the lineage kept at insert joins each insert's reads and writes in one "
            + "block");
    assertKeptAsJoined(rows);
    assertWastedAsFollowed(rows);
    assertThat(second).containsExactly("adopted older.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in older");
    // without the option, a store that keeps lineage keeps its facts in one view (SpanFacts.split)
    assertThat(init("older", false)).containsExactly("adopted older.otel_traces: it has every column the exporter "
        + "writes", "nothing to do: every table and view of the schema is in older");
  }

  @Test
  void shouldFillTheNextAccessesOnceOnAStoreThatKeptOnlyTheLineage() throws Exception {
    // reads before their writes, in inserts of four spans: the lineage has versions to fill from
    SqlSource rows = load("lineageonly", inFours(OtelTracesRows.eachSpanAloneInReverse(IN_ORDER)));
    long writes = rows.query("SELECT count() AS n FROM memtrace_next_access FINAL").number(0, "n");
    for (String name : List.of("memtrace_next_access_mv", "memtrace_next_access")) {
      front.query(null, "DROP TABLE lineageonly." + name);
    }

    List<String> first = init("lineageonly", true);

    assertThat(first).contains("filled lineageonly.memtrace_next_access from the lineage stored before it ("
        + writes + " writes with their next access)", "created lineageonly.memtrace_next_access");
    assertWastedAsFollowed(rows);
    assertThat(init("lineageonly", true)).containsExactly(
        "adopted lineageonly.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in lineageonly");
  }

  @Test
  void shouldAddTheNextAccessWithoutIdsToAStoreThatKeptOnlyItsNext() throws Exception {
    // the earlier half of the spans, four to an insert, on the next-access table of an earlier init (no NextAccess),
    // its merges stopped; the later half after init, in one insert, where the earlier half's last writes find their
    // next access: writes with rows of both kinds
    List<List<ExportTraceServiceRequest>> each = new ArrayList<>(OtelTracesRows.eachSpanAloneInReverse(IN_ORDER));
    java.util.Collections.reverse(each);
    List<List<ExportTraceServiceRequest>> inserts = inFours(each);
    ClickHouseUrl url = FleetFront.init(front, "nextolder");
    front.query(null, "ALTER TABLE nextolder." + NextAccessRows.TABLE + " DROP COLUMN NextAccess");
    front.query(null, "SYSTEM STOP MERGES nextolder." + NextAccessRows.TABLE);
    for (List<ExportTraceServiceRequest> payloads : inserts.subList(0, inserts.size() / 2)) {
      insert("nextolder", payloads);
    }
    SqlSource rows = ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD).rows();
    SqlSource joined = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS, Lineage.KEPT, NEXT_KEPT));
    // before init the reader follows the writes through the window, as where no next access is kept
    List<String> asked = new ArrayList<>();
    SqlSource older = Unanswered.answering(asked, Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS))::query,
        rows.describe());
    for (Layer layer : Layer.values()) {
      assertThat(new ReportLineage(older).wastedWrites(layer, 0).toString()).as(layer.viewName())
          .doesNotContain("Not computed").isEqualTo(new ReportLineage(joined).wastedWrites(layer, 0).toString());
    }
    assertThat(asked).noneMatch(sql -> sql.contains(NextAccessRows.TABLE + " FINAL"));

    List<String> first = init("nextolder", true);
    insert("nextolder", inserts.subList(inserts.size() / 2, inserts.size()).stream().flatMap(List::stream).toList());
    rows = AskedOnce.of(rows);

    assertThat(first).contains("added to nextolder.memtrace_next_access the column NextAccess, each write's next "
        + "access without its ids, which wasted writes read; the rows stored before compute it when read");
    assertThat(rows.query("SELECT count() AS n FROM (SELECT 1 FROM " + NextAccessRows.TABLE + " GROUP BY Place, Time, "
        + "TraceId, SpanId HAVING count() > 1)").number(0, "n")).as("writes with rows in both halves").isPositive();
    assertWastedAsFollowed(rows);
    assertThat(rows.query("SELECT count() AS n FROM " + NextAccessRows.TABLE + " FINAL WHERE NextAccess.1 != Next.1 "
        + "OR NextAccess.2 != Next.2 OR NextAccess.3 != Next.5").number(0, "n")).as("rows whose two columns differ")
        .isZero();
    assertThat(init("nextolder", true)).containsExactly(
        "adopted nextolder.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in nextolder");
  }

  @Test
  void shouldKeepEachReadsRowsOnAStoreThatKeptOnlyTheLineage() throws Exception {
    // half the spans, one an insert in reverse, on a schema without memtrace_lineage_reads: reads before their writes,
    // with their versions unmerged; the other half after init, late writes among them
    List<List<ExportTraceServiceRequest>> alone = OtelTracesRows.eachSpanAloneInReverse(IN_ORDER);
    ClickHouseUrl url = FleetFront.init(front, "readsolder");
    // the schema of a memtrace before memtrace_lineage_reads, made before any span arrives
    front.query(null, "DROP TABLE readsolder." + LineageReadRows.TABLE + "_mv");
    front.query(null, "DROP TABLE readsolder." + LineageReadRows.TABLE);
    front.query(null, "ALTER TABLE readsolder." + LineageRows.LATE_VIEW + " MODIFY QUERY "
        + LineageRows.lateSelect(new SchemaOptions("readsolder", null, 0, true)).replace(", true AS Late", ""));
    front.query(null, "ALTER TABLE readsolder." + LineageRows.TABLE + " DROP COLUMN Late");
    front.query(null, "SYSTEM STOP MERGES readsolder." + LineageRows.TABLE);
    for (List<ExportTraceServiceRequest> payloads : alone.subList(0, alone.size() / 2)) {
      insert("readsolder", payloads);
    }
    SqlSource rows = ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD).rows();
    long versions = rows.query("SELECT count() AS n FROM memtrace_lineage WHERE Row = 'read'").number(0, "n");
    assertThat(versions).as("a read's versions, unmerged").isGreaterThan(
        rows.query("SELECT count() AS n FROM memtrace_lineage FINAL WHERE Row = 'read'").number(0, "n"));

    List<String> first = init("readsolder", true);
    for (List<ExportTraceServiceRequest> payloads : inFours(alone.subList(alone.size() / 2, alone.size()))) {
      insert("readsolder", payloads);
    }
    rows = AskedOnce.of(rows);

    assertThat(first).contains("added to readsolder.memtrace_lineage the column Late, which the late view now sets on "
        + "the versions it writes", "filled readsolder.memtrace_lineage_reads from the lineage stored before it ("
        + versions + " rows of reads)", "created readsolder.memtrace_lineage_reads");
    assertThat(rows.query("SELECT count() AS n FROM " + LineageReadRows.TABLE + " WHERE Late").number(0, "n"))
        .as("late versions, filled and kept").isGreaterThan(2);
    assertThat(rows.query("SELECT count() AS n FROM memtrace_lineage WHERE Late").number(0, "n"))
        .as("late versions the late view wrote after init, marked").isGreaterThan(0);
    assertSectionsAsFinal(rows);
    assertKeptAsJoined(rows);
    assertThat(init("readsolder", true)).containsExactly(
        "adopted readsolder.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in readsolder");
  }

  /** The statement that asks whether the store keeps each read's rows apart. */
  private static final String READS_KEPT = KeptTable.probe(LineageReadRows.TABLE);

  /**
   * The report's lineage sections (and the stale reads they hand memory health) from each read's rows kept apart
   * ({@code memtrace_lineage_reads}) are those from {@code memtrace_lineage FINAL} and those of the join over the
   * spans, in both layers; and they were read from the rows kept apart.
   */
  private static void assertSectionsAsFinal(SqlSource rows) {
    List<String> asked = new ArrayList<>();
    SqlSource kept = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS));
    SqlSource seen = Unanswered.answering(asked, kept::query, kept.describe());
    SqlSource fin = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS, READS_KEPT));
    SqlSource joined = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS, Lineage.KEPT, READS_KEPT));
    for (Layer layer : Layer.values()) {
      ReportLineage fromReads = new ReportLineage(seen);
      ReportLineage fromFinal = new ReportLineage(fin);
      String sections = fromReads.sections(layer, 0).toString();
      assertThat(sections).as(layer.viewName()).doesNotContain("Not computed")
          .isEqualTo(fromFinal.sections(layer, 0).toString())
          .isEqualTo(new ReportLineage(joined).sections(layer, 0).toString());
      assertThat(fromReads.staleReads(layer, 0)).as(layer.viewName()).isEqualTo(fromFinal.staleReads(layer, 0));
    }
    assertThat(asked).as("statements over the reads kept apart")
        .anyMatch(sql -> sql.contains("FROM " + LineageReadRows.TABLE + " WHERE"))
        .noneMatch(sql -> sql.contains(LineageRows.TABLE + " FINAL"));
  }

  private static List<String> init(String database, boolean keptLineage) {
    ClickHouseUrl url = ClickHouseUrl.parse(front.url(database), java.util.Map.of(ClickHouseUrl.USER_ENV, front.user(),
        ClickHouseUrl.PASSWORD_ENV, front.password()));
    try (ClickHouseSession session = ClickHouseSession.open(url)) {
      return SchemaInit.run(session, new SchemaOptions(database, null, 0, keptLineage));
    }
  }

  /**
   * Every read's row kept in the store {@code rows} reads is the row the join without retention's coverage gives, in
   * both layers (the contract IT asks it of its corpus too).
   */
  static void assertKeptAsJoined(SqlSource rows) {
    Lineage lineage = new Lineage(rows);
    int reads = 0;
    for (Layer layer : Layer.values()) {
      List<List<String>> kept = plain(rows.query(normalized(lineage.keptRows(layer))));
      List<List<String>> joined = plain(rows.query(normalized(lineage.joinedRows(layer, 0, false))));
      assertThat(kept).as(layer.viewName()).isEqualTo(joined);
      reads += kept.size();
    }
    assertThat(reads).as("reads in the fixture").isGreaterThan(10);
  }

  private static String normalized(String rows) {
    return "SELECT read_trace_id, read_span_id, read_layer, read_time_us, read_status_code, key, namespace, "
        + "toString(toNullable(toUInt8(found))) AS found, write_trace_id, write_access, write_time_us, value_age_ms, "
        + "writer, write_ttl, miss FROM (" + rows + ") ORDER BY read_trace_id, read_span_id, read_layer";
  }

  private static List<List<String>> plain(ResultTable table) {
    List<List<String>> out = new ArrayList<>();
    for (List<Object> row : table.rows()) {
      out.add(row.stream().map(String::valueOf).toList());
    }
    return out;
  }

  private static String writerOf(SqlSource rows, String key) {
    ResultTable t = rows.query("SELECT WriteTraceId FROM memtrace_lineage FINAL WHERE Row = 'read' AND Layer = 'redis' "
        + "AND Key = '" + key + "' AND Place LIKE 'r|" + LineageFixtures.REDIS + ":%|0|%'");
    assertThat(t.size()).as("reads of " + key).isEqualTo(1);
    return t.text(0, "WriteTraceId");
  }

  /** A database with the schema, each list of payloads inserted in turn as one insert. */
  private static SqlSource load(String database, List<List<ExportTraceServiceRequest>> inserts) throws Exception {
    return load(database, inserts, false);
  }

  /** {@link #load}; with {@code unmerged}, the kept lineage's merges stopped before the inserts. */
  private static SqlSource load(String database, List<List<ExportTraceServiceRequest>> inserts, boolean unmerged)
      throws Exception {
    ClickHouseUrl url = FleetFront.init(front, database);
    if (unmerged) {
      front.query(database, "SYSTEM STOP MERGES " + database + "." + LineageRows.TABLE);
      front.query(database, "SYSTEM STOP MERGES " + database + "." + NextAccessRows.TABLE);
    }
    for (List<ExportTraceServiceRequest> payloads : inserts) {
      insert(database, payloads);
    }
    SqlSource rows = ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD).rows();
    return rows;
  }

  private static void insert(String database, List<ExportTraceServiceRequest> payloads) throws Exception {
    FleetFront.insert(front, database, payloads);
  }
}
