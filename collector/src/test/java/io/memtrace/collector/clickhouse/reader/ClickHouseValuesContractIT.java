package io.memtrace.collector.clickhouse.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.ValuesContract;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.memtrace.collector.values.ValuesRequest;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The ClickHouse store answers the captured-values contract: the spans written into {@code otel_traces} as the
 * OpenTelemetry Collector's exporter writes them, events and all, and {@code memtrace_key_values} filled by its
 * materialized view; and every value equals the embedded store's, given the same spans.
 */
class ClickHouseValuesContractIT extends ValuesContract {

  private ChdbFront front;
  private List<ExportTraceServiceRequest> spans;
  private Path dir;

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> spans) throws Exception {
    this.dir = dir;
    this.spans = spans;
    front = ChdbFront.start(dir.resolve("chdb"));
    return ClickHouseReader.open(FleetFront.load(front, spans), TestQueryLimits.HANG_GUARD);
  }

  @Override
  protected String valuesTable() {
    return "memtrace_key_values";
  }

  @AfterAll
  void stopFront() throws Exception {
    if (front != null) {
      front.close();
    }
  }

  /** The exporter keeps the value events in otel_traces as sent: a query reads that table only when asked too. */
  @Test
  void shouldReadTheRawSpanEventsOnlyWhenAsked() {
    for (String sql : List.of("SELECT `Events.Attributes` FROM otel_traces",
        "SELECT * FROM merge(currentDatabase(), '^otel')")) {
      assertThatThrownBy(() -> reader().query(sql)).as(sql).hasMessageContaining("--include-values");
    }
    assertThat(reader().queryWithValues("SELECT count() AS n FROM otel_traces ARRAY JOIN `Events.Name` AS e "
        + "WHERE e = 'memory.value'").number(0, "n")).as("all seven value events, malformed ones too").isEqualTo(7);
    assertThat(reader().query("SELECT uniqExact(TraceId) AS n FROM otel_traces_trace_id_ts").number(0, "n"))
        .as("the trace lookup holds no values").isEqualTo(1);
  }

  /**
   * On a store of an earlier init, whose key values' view read otel_traces, init puts the view behind the spans that
   * carry a value (ValueSpans) and says so: the spans inserted after it keep the fresh store's values, once.
   */
  @Test
  void shouldPutTheKeyValuesViewOfAnEarlierInitBehindTheSpansThatCarryAValue() throws Exception {
    String db = "earliervalues";
    ClickHouseUrl url = FleetFront.init(front, db);
    front.query(db, "DROP VIEW memtrace_value_spans_mv");
    front.query(db, "DROP TABLE memtrace_value_spans");
    String earlier = new String(getClass().getResourceAsStream("/clickhouse/earlier-init-37e1f73b-key-values.sql")
        .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("\"otel\".", "\"" + db + "\".");
    front.query(db, "ALTER TABLE memtrace_key_values_mv MODIFY QUERY "
        + earlier.substring(earlier.indexOf("\nAS ") + 4));
    String rows = "SELECT * FROM memtrace_key_values ORDER BY ALL";
    String fresh = front.query("fleet", rows);
    FleetFront.insert(front, db, spans);
    assertThat(front.query(db, rows)).as("the earlier view's values").isEqualTo(fresh);
    front.query(db, "TRUNCATE TABLE memtrace_key_values");

    try (ClickHouseSession session = ClickHouseSession.open(url)) {
      assertThat(SchemaInit.run(session, new SchemaOptions(db, null, 0, true))).containsExactly(
          "adopted " + db + ".otel_traces: it has every column the exporter writes",
          "redefined " + db + ".memtrace_key_values_mv to read " + db + ".memtrace_value_spans, which " + db
              + ".memtrace_value_spans_mv fills with the spans that carry a captured value: the same rows, its "
              + "statement planned only for inserts that hold one",
          "created " + db + ".memtrace_value_spans", "created " + db + ".memtrace_value_spans_mv");
    }
    FleetFront.insert(front, db, spans);
    assertThat(front.query(db, rows)).isEqualTo(fresh).isNotBlank();
  }

  /** The differential half: every value, field for field, equals the embedded store's. */
  @Test
  void shouldAnswerEveryValueAsTheEmbeddedStoreDoes() throws Exception {
    Path embedded = dir.resolve("embedded");
    TestStores.fill(embedded, spans);
    try (StoreReader local = EmbeddedReader.local(new StoreFiles(embedded))) {
      ValuesRequest all = new ValuesRequest(null, "*", null, null, 100);
      assertThat(reader().capturedValues(all)).hasSize(5).isEqualTo(local.capturedValues(all));
    }
  }
}
