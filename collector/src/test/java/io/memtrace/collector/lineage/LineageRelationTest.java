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
      assertSameRows(source, relation, List.of("read_layer = 'redis'", "read_layer = 'memory'", "true",
          "read_layer = 'redis' AND found = false", "read_time >= (SELECT quantile_disc(time, 0.5) FROM key_events)"));
      assertThat(source.queryOwn("SELECT count(*) AS n FROM lineage WHERE writer = 'compressed'").number(0, "n"))
          .as("some reads compressed").isPositive();
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, GeneratedStore.generated(new Random(18), 1, 40).get(0));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.queryOwn("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail").isPositive();
        String relation = LineageViews.relation(source);
        assertThat(relation).as("a tail: the kept events with the tail's answered").isNotEqualTo("lineage")
            .contains("tail_answers");
        assertSameRows(source, relation, List.of("read_layer = 'redis'", "read_layer = 'memory'", "true"));
      }
    }
  }

  /**
   * For each condition of {@code wheres}, the relation's rows are the view's, but for the writer's trace, span id,
   * service and name, which the relation leaves null (the view looks them up); the view names each writer it saw.
   * The view is asked once (a question of it costs about a second of planning), with whether each condition holds
   * and whether the writer is named as columns after its own, and taken condition by condition.
   */
  private static void assertSameRows(SqlSource source, String relation, List<String> wheres) {
    String names = "write_trace_id, write_span_id, write_service, write_name";
    StringBuilder flags = new StringBuilder();
    for (int w = 0; w < wheres.size(); w++) {
      flags.append(", (").append(wheres.get(w)).append(") AS where_").append(w);
    }
    // ORDER BY ALL: the flags come last, so each condition's rows keep the order of its own ORDER BY ALL
    ResultTable view = source.queryOwn("SELECT * EXCLUDE (" + names + ")" + flags + ", (write_trace_id IS NOT NULL AND "
        + "write_span_id IS NOT NULL AND write_service IS NOT NULL AND write_name IS NOT NULL) AS named__ "
        + "FROM lineage ORDER BY ALL");
    assertThat(view.truncated()).isFalse();
    int columns = view.columns().size() - wheres.size() - 1;
    int writer = view.column("writer");
    int named = view.column("named__");
    assertThat(source.queryOwn("SELECT count(*) AS n FROM " + relation + " WHERE coalesce(" + names + ") IS NOT NULL")
        .number(0, "n")).as("the relation names no writer").isZero();
    for (int w = 0; w < wheres.size(); w++) {
      String where = wheres.get(w);
      int flag = view.column("where_" + w);
      List<List<Object>> rows = view.rows().stream().filter(r -> Boolean.TRUE.equals(r.get(flag))).toList();
      assertThat(rows.size()).as(where).isPositive();
      assertThat(source.queryOwn("SELECT * EXCLUDE (" + names + ") FROM " + relation + " WHERE " + where
          + " ORDER BY ALL").rows()).as(where).isEqualTo(rows.stream().map(r -> r.subList(0, columns)).toList());
      List<List<Object>> seen = rows.stream().filter(r -> "seen".equals(String.valueOf(r.get(writer)))).toList();
      assertThat(seen.stream().filter(r -> Boolean.TRUE.equals(r.get(named))).count())
          .as("the view names each writer seen: " + where).isPositive().isEqualTo(seen.size());
    }
  }
}
