package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
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
  void shouldGiveTheViewsRowsFromTheStoredEventsWhenThereIsNoTail() throws Exception {
    GeneratedStore.compactedInMoves(dir, GeneratedStore.generated(new Random(17), 12, 60), 2);
    try (LocalSqlSource source = new LocalSqlSource(new StoreFiles(dir))) {
      String relation = LineageViews.relation(source);
      assertThat(relation).as("no tail: the stored events").contains(KeyEventStore.EVENTS).isNotEqualTo("lineage");
      for (String where : List.of("read_layer = 'redis'", "read_layer = 'memory'", "true",
          "read_layer = 'redis' AND found = false", "read_time >= (SELECT quantile_disc(time, 0.5) FROM key_events)")) {
        ResultTable view = source.query("SELECT * FROM lineage WHERE " + where + " ORDER BY ALL");
        assertThat(view.size()).as(where).isPositive();
        assertThat(source.query("SELECT * FROM " + relation + " WHERE " + where + " ORDER BY ALL").rows()).as(where)
            .isEqualTo(view.rows());
      }
      assertThat(source.query("SELECT count(*) AS n FROM lineage WHERE writer = 'compressed'").number(0, "n"))
          .as("some reads compressed").isPositive();
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, GeneratedStore.generated(new Random(18), 1, 40).get(0));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(LineageViews.relation(source)).as("a tail: the view").isEqualTo("lineage");
      }
    }
  }
}
