package io.memtrace.collector.clickhouse.reader;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.LineageRows;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.lineage.LineageFixtures;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lineage kept at insert ({@code memtrace_lineage}, {@link io.memtrace.collector.clickhouse.LineageRows}) against the
 * join over the whole store, on the real engine (ClickHouse 26.9 in chDB behind the test front), whatever order the
 * spans arrive in: all at once, the reads before their writes, and one span per insert in reverse order. The
 * fixture's spans (two services on one Redis, a second Redis and database, a refused write, a write still running at
 * a read, a delete, an expiry, an eviction, a memory manager's records) are each inserted as the exporter writes them.
 */
class KeptLineageIT {

  private static ChdbFront front;

  @BeforeAll
  static void start() throws Exception {
    front = ChdbFront.start(BuildPaths.IT_WORK.resolve("kept-lineage-" + System.nanoTime()).resolve("chdb"));
  }

  @AfterAll
  static void stop() throws Exception {
    front.close();
  }

  private static final List<ExportTraceServiceRequest> IN_ORDER = List.of(LineageFixtures.writer(),
      LineageFixtures.reader(), LineageFixtures.memory());

  @Test
  void shouldKeepTheWritersTheJoinFindsWhenTheSpansArriveTogether() throws Exception {
    SqlSource rows = load("together", List.of(List.of(IN_ORDER.get(0), IN_ORDER.get(1), IN_ORDER.get(2))));

    assertKeptAsJoined(rows);
  }

  @Test
  void shouldCorrectAReadsWriterWhenTheWriteArrivesAfterTheRead() throws Exception {
    SqlSource rows = load("late", List.of(List.of(LineageFixtures.reader(), LineageFixtures.memory())));
    assertThat(writerOf(rows, "user:1")).as("before its write arrived").isNull();

    insert("late", List.of(LineageFixtures.writer()));

    assertThat(writerOf(rows, "user:1")).isEqualTo(LineageFixtures.WRITER_TRACE);
    assertKeptAsJoined(rows);
  }

  @Test
  void shouldKeepTheWritersTheJoinFindsWhenEachSpanArrivesAloneInReverse() throws Exception {
    List<List<ExportTraceServiceRequest>> inserts = OtelTracesRows.eachSpanAloneInReverse(IN_ORDER);
    SqlSource rows = load("scattered", inserts);

    assertKeptAsJoined(rows);
    // over:1 was written at 61 and 62 ms (1 ms each) and read at 150: the read arrived first, then the write at 62,
    // then the one at 61, whose row for the read is older than the one it has; the write that ended at 63 ms stays
    assertThat(rows.query("SELECT WriteEnd FROM memtrace_lineage FINAL WHERE Row = 'read' AND Key = 'over:1'")
        .rows()).containsExactly(List.of(SpanFixtures.T0 / 1000 + 63_000));
  }

  @Test
  void shouldGiveTheSameReportSectionsFromTheKeptRowsAsFromTheJoin() throws Exception {
    // the table's merges stopped: the reads that arrived before their writes keep both their versions, which wasted
    // writes (read without FINAL) meet side by side
    SqlSource rows = load("sections", List.of(List.of(LineageFixtures.reader()), List.of(LineageFixtures.writer(),
        LineageFixtures.memory())), true);
    assertThat(rows.query("SELECT count() AS n FROM memtrace_lineage WHERE Row = 'read'").number(0, "n"))
        .as("a read's versions, unmerged").isGreaterThan(
            rows.query("SELECT count() AS n FROM memtrace_lineage FINAL WHERE Row = 'read'").number(0, "n"));
    SqlSource kept = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS));
    SqlSource joined = Unanswered.without(rows, Set.of(Lineage.RETENTION_CARRIERS, Lineage.KEPT));
    for (Layer layer : Layer.values()) {
      List<Section> fromKept = new ReportLineage(kept, "sections").sections(layer, 0);
      List<Section> fromJoin = new ReportLineage(joined, "sections").sections(layer, 0);
      assertThat(fromKept.toString()).as(layer.viewName()).isEqualTo(fromJoin.toString()).doesNotContain("Not computed");
      assertThat(new ReportLineage(kept, "sections").wastedWrites(layer, 0).toString()).as(layer.viewName())
          .isEqualTo(new ReportLineage(joined, "sections").wastedWrites(layer, 0).toString());
    }
    assertThat(new ReportLineage(kept, "sections").wastedWrites(Layer.values()[0], 0).toString())
        .doesNotContain("Not computed");
    // a Redis-layer report's statement, which counts the memory layer's too (the whole table)
    assertThat(new ReportLineage(kept, "sections").wastedWrites(Layer.REDIS, 0, true).toString())
        .isEqualTo(new ReportLineage(joined, "sections").wastedWrites(Layer.REDIS, 0).toString());
  }

  @Test
  void shouldFillTheKeptLineageOnceOnAStoreMadeBeforeIt() throws Exception {
    SqlSource rows = load("older", List.of(IN_ORDER));
    // the schema of a memtrace before memtrace_lineage: its views and tables are not there
    for (String name : List.of("memtrace_lineage_late_mv", "memtrace_lineage_mv", "memtrace_lineage_events_mv",
        "memtrace_lineage_events", "memtrace_lineage")) {
      front.query(null, "DROP TABLE older." + name);
    }
    Lineage lineage = new Lineage(rows, "older");
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

    assertThat(first).contains("filled older.memtrace_lineage from the spans stored before it (" + reads
        + " reads with their writers)", "created older.memtrace_lineage");
    assertKeptAsJoined(rows);
    assertThat(second).containsExactly("adopted older.otel_traces: it has every column the exporter writes",
        "nothing to do: every table, view and dictionary of the schema is in older");
  }

  private static List<String> init(String database, boolean keptLineage) {
    ClickHouseUrl url = ClickHouseUrl.parse(front.url(database), java.util.Map.of(ClickHouseUrl.USER_ENV, front.user(),
        ClickHouseUrl.PASSWORD_ENV, front.password()));
    try (ClickHouseSession session = ClickHouseSession.open(url)) {
      return SchemaInit.run(session, new SchemaOptions(database, null, 0, keptLineage));
    }
  }

  private static void assertKeptAsJoined(SqlSource rows) {
    assertKeptAsJoined(rows, DATABASES.get(rows));
  }

  /**
   * Every read's row kept in {@code database} is the row the join without retention's coverage gives, in both
   * layers (the contract IT asks it of its corpus too).
   */
  static void assertKeptAsJoined(SqlSource rows, String database) {
    Lineage lineage = new Lineage(rows, database);
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

  private static final java.util.Map<SqlSource, String> DATABASES = new java.util.IdentityHashMap<>();

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
    }
    for (List<ExportTraceServiceRequest> payloads : inserts) {
      insert(database, payloads);
    }
    SqlSource rows = ClickHouseReader.open(url, QueryLimits.DEFAULT).rows();
    DATABASES.put(rows, database);
    return rows;
  }

  private static void insert(String database, List<ExportTraceServiceRequest> payloads) throws Exception {
    try (Client client = FleetFront.client(front, database)) {
      client.insert("otel_traces", new ByteArrayInputStream(OtelTracesRows.of(payloads)), ClickHouseFormat.JSONEachRow)
          .get(60, TimeUnit.SECONDS).close();
    }
  }
}
