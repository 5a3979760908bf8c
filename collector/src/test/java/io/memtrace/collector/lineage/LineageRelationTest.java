package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LineageViews#relation}, what the report's value ages and misses read, gives the {@code lineage} view's rows:
 * over the stored events alone when the store has no {@code span_ingest} tail (two moves of a generated store with
 * compressed counts, TTLs, refused writes and failed reads, both layers, over the whole store and since a time), and
 * the view itself when it has one.
 */
class LineageRelationTest {

  @TempDir
  Path dir;

  @Test
  void shouldGiveTheViewsRowsFromTheKeptEventsWithAndWithoutATail() throws Exception {
    GeneratedStore.compactedInMoves(dir, GeneratedStore.generated(new Random(17), 12, 60), 2);
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      String relation = LineageViews.relation(source);
      assertThat(relation).as("no tail: the stored events").contains(KeyEventStore.EVENTS).isNotEqualTo("lineage");
      for (String where : List.of("read_layer = 'redis'", "read_layer = 'memory'", "true",
          "read_layer = 'redis' AND found = false", "read_time >= (SELECT quantile_disc(time, 0.5) FROM key_events)")) {
        assertSameRows(source, relation, where);
      }
      assertThat(source.query("SELECT count(*) AS n FROM lineage WHERE writer = 'compressed'").number(0, "n"))
          .as("some reads compressed").isPositive();
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, GeneratedStore.generated(new Random(18), 1, 40).get(0));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail").isPositive();
        String relation = LineageViews.relation(source);
        assertThat(relation).as("a tail: the kept events with the tail's answered").isNotEqualTo("lineage")
            .contains("tail_answers");
        for (String where : List.of("read_layer = 'redis'", "read_layer = 'memory'", "true")) {
          assertSameRows(source, relation, where);
        }
      }
    }
  }

  /**
   * The relation's rows are the view's, but for the writer's trace, span id, service and name, which the relation
   * leaves null (the view looks them up); the view names each writer it saw.
   */
  private static void assertSameRows(SqlSource source, String relation, String where) {
    String names = "write_trace_id, write_span_id, write_service, write_name";
    ResultTable view = source.query("SELECT * EXCLUDE (" + names + ") FROM lineage WHERE " + where + " ORDER BY ALL");
    assertThat(view.size()).as(where).isPositive();
    assertThat(source.query("SELECT * EXCLUDE (" + names + ") FROM " + relation + " WHERE " + where + " ORDER BY ALL")
        .rows()).as(where).isEqualTo(view.rows());
    assertThat(source.query("SELECT count(*) AS n FROM " + relation + " WHERE coalesce(" + names + ") IS NOT NULL")
        .number(0, "n")).as("the relation names no writer").isZero();
    ResultTable seen = source.query("SELECT count(*) FILTER (WHERE writer = 'seen') AS seen, count(*) FILTER (WHERE "
        + "writer = 'seen' AND write_trace_id IS NOT NULL AND write_span_id IS NOT NULL AND write_service IS NOT NULL "
        + "AND write_name IS NOT NULL) AS named FROM lineage WHERE " + where);
    assertThat(seen.number(0, "named")).as("the view names each writer seen: " + where).isPositive()
        .isEqualTo(seen.number(0, "seen"));
  }
}
