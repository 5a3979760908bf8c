package io.memtrace.collector.store;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.request;
import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.QueryRunner;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attribute values keep their OTLP type in queries: fractional durations average to fractions and
 * a key sent both as an integer and as a double orders numerically, before compaction, after it,
 * and in a store written before the type table existed.
 */
class AttributeTypingTest {

  private static final String TRACE = "0000000000000000000000000000abcd";

  @TempDir
  Path dir;

  /** The agent's shape: durations as OTLP doubles, sizes as integers. */
  private static ExportTraceServiceRequest fractional() {
    return request("svc", List.of(
        memory("a", 1.245, 10), memory("a", 2.5, 20), memory("b", 15.0, 30)));
  }

  /** One key sent as an integer by one producer and as a double by another. */
  private static ExportTraceServiceRequest mixedNumbers() {
    List<Span> spans = new ArrayList<>();
    Object[] values = {15L, 2.5, 4L, 7.75};
    for (int i = 0; i < values.length; i++) {
      spans.add(span(TRACE, null, "aqe.memory.retrieve", i, 1)
          .addAttributes(attr("memory.namespace", "m"))
          .addAttributes(attr("memory.operation_duration_ms", values[i])).build());
    }
    spans.add(span(TRACE, null, "aqe.memory.retrieve", 9, 1)
        .addAttributes(attr("memory.namespace", "m"))
        .addAttributes(attr("memory.tag", "x")).build());
    spans.add(span(TRACE, null, "aqe.memory.retrieve", 10, 1)
        .addAttributes(attr("memory.namespace", "m"))
        .addAttributes(attr("memory.tag", 3L)).build());
    return request("other", spans);
  }

  private static Span memory(String namespace, double millis, long size) {
    return span(TRACE, null, "aqe.memory.store", (long) size, 1)
        .addAttributes(attr("memory.namespace", namespace))
        .addAttributes(attr("memory.operation_duration_ms", millis))
        .addAttributes(attr("memory.value_size", size)).build();
  }

  @Test
  void shouldAverageFractionalDurationsBeforeAndAfterCompaction() throws Exception {
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, fractional());
      try (Connection connection = store.newConnection()) {
        assertFractional(sql -> QueryRunner.run(connection, sql));
      }
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("compacted on close").isZero();
      assertFractional(source::query);
    }
  }

  @Test
  void shouldOrderAndAverageAKeySentAsIntegerAndDouble() throws Exception {
    TestStores.fill(dir, mixedNumbers());
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      ResultTable ordered = source.query("SELECT attributes['memory.operation_duration_ms'] AS d FROM spans "
          + "WHERE d IS NOT NULL ORDER BY d DESC");
      assertThat(ordered.rows()).extracting(row -> row.get(0)).containsExactly(15.0, 7.75, 4.0, 2.5);
      ResultTable avg = source.query("SELECT AVG(attributes['memory.operation_duration_ms']) AS a, "
          + "SUM(attributes['memory.operation_duration_ms']) AS s FROM spans");
      assertThat(((Number) avg.rows().get(0).get(0)).doubleValue()).isCloseTo(7.3125, within(1e-9));
      assertThat(((Number) avg.rows().get(0).get(1)).doubleValue()).isCloseTo(29.25, within(1e-9));
      // a key seen as a string and as a number stays VARIANT: each value as sent
      ResultTable tags = source.query("SELECT attributes['memory.tag'] AS t FROM spans WHERE t IS NOT NULL ORDER BY start_time");
      assertThat(tags.columns().get(0).type()).isEqualTo("VARIANT");
      assertThat(tags.rows()).extracting(row -> row.get(0)).containsExactly("x", 3L);
    }
  }

  @Test
  void shouldWorkOutTheTypesOfAStoreWrittenWithoutTheTable() throws Exception {
    TestStores.fill(dir, fractional());
    try (Connection raw = DriverManager.getConnection("jdbc:duckdb:" + new StoreFiles(dir).database());
         Statement s = raw.createStatement()) {
      s.execute("DROP TABLE attribute_types");
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      ResultTable untyped = source.query("SELECT AVG(attributes['memory.operation_duration_ms']) AS a "
          + "FROM spans WHERE attributes['memory.namespace'] = 'a'");
      assertThat(untyped.rows()).as("read-only and without types, the query still runs").hasSize(1);
    }
    TestStores.fill(dir); // a writer opens the store and rebuilds the table from the rows
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertFractional(source::query);
    }
  }

  interface Sql {
    ResultTable run(String sql);
  }

  private static void assertFractional(Sql sql) {
    ResultTable byNamespace = sql.run("SELECT attributes['memory.namespace'] as namespace, COUNT(*) as operation_count, "
        + "AVG(attributes['memory.operation_duration_ms']) as avg_duration_ms FROM spans "
        + "WHERE name LIKE 'aqe.memory.%' GROUP BY namespace ORDER BY namespace");
    assertThat(byNamespace.columns()).extracting(ResultTable.Column::type).containsExactly("VARCHAR", "BIGINT", "DOUBLE");
    assertThat(byNamespace.rows()).containsExactly(List.of("a", 2L, 1.8725), List.of("b", 1L, 15.0));
    ResultTable slowest = sql.run("SELECT attributes['memory.operation_duration_ms'] as duration_ms, "
        + "attributes['memory.value_size'] * 2 AS twice FROM spans ORDER BY duration_ms DESC");
    assertThat(slowest.rows()).containsExactly(List.of(15.0, 60L), List.of(2.5, 40L), List.of(1.245, 20L));
  }
}
