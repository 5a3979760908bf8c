package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import io.opentelemetry.proto.trace.v1.Span;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TTL truth's stale reads from {@link PastTtlReads} are the {@code lineage} view's: on a generated store (TTLs of 1 s
 * and 60 s, reads seconds apart, compressed counts), compacted (the candidates picked from the stored answers) and
 * with a tail that holds a late write (the view), for both layers, over the whole store and since a time.
 */
class PastTtlReadsTest {

  private static final String STALE = "writer = 'seen' AND coalesce(found, true) AND write_ttl > 0 "
      + "AND value_age_ms > write_ttl * 1000";
  /** TTL truth's and health's columns: the writer's names are the view's only (the stored path leaves them null). */
  private static final String COLUMNS = "read_trace_id, read_span_id, read_layer, read_time, key, namespace, found, "
      + "write_access, write_time, write_ttl, value_age_ms, writer, miss";
  /** As the report's --since says it: 105 s after the fixtures' start, between the two moves' stale reads. */
  private static final String SINCE = " AND start_time >= TIMESTAMP '2024-11-20 08:01:45'";

  @TempDir
  Path dir;

  @Test
  void shouldGiveTheStaleReadsTheViewGivesWithAndWithoutATail() throws Exception {
    GeneratedStore.compactedInMoves(dir, GeneratedStore.generated(new Random(7), 12, 60), 2,
        PastTtlReadsTest::stale);
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("no tail").isZero();
      assertThat(source.query(PastTtlReads.of(source, "redis", "")).rows()).as("the stored path picks, not the view")
          .hasSizeLessThan(source.query("SELECT * FROM lineage WHERE read_layer = 'redis'").size());
      ResultTable view = staleInView(source);
      assertThat(compare(source, view, "redis", false)).as("stale Redis reads").isEqualTo(3);
      assertThat(compare(source, view, "memory", false)).as("stale memory reads: these two, two generated").isEqualTo(4);
      assertThat(compare(source, view, "redis", true)).as("stale Redis reads since").isEqualTo(2);
      compare(source, view, "memory", true);
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, GeneratedStore.generated(new Random(8), 1, 40).get(0));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail").isPositive();
        ResultTable view = staleInView(source);
        compare(source, view, "redis", false);
        compare(source, view, "memory", false);
      }
    }
  }

  /**
   * Values read after their TTL ran out, some in the move that stored their write, some in the next: a Redis key, a
   * memory record, and a Redis key of a namespace whose compressed count may hide a later write (not seen, so not
   * stale); and reads within the TTL.
   */
  private static ExportTraceServiceRequest stale(int move) {
    String trace = "00000000000000000000000000005ea" + move;
    // after the generated spans, whose counts under _OTHER make every Redis read among them compressed
    long at = 100_000 + move * 10_000;
    List<Span> spans = new ArrayList<>();
    if (move == 0) {
      spans.add(LineageFixtures.redis(trace, "SET", 101_000, "stale:a", "memory.ttl", 1L));
      spans.add(LineageFixtures.redis(trace, "SET", 102_000, "stale:b", "memory.ttl", 60L));
      spans.add(LineageFixtures.redis(trace, "SET", 101_000, "hidden:c", "memory.ttl", 1L));
      spans.add(span(trace, null, "app.task.bulk", 102_000, 500).addAttributes(attr("memtrace.compressed.count", 1L))
          .addEvents(LineageFixtures.compressed("SET", "hidden", 1)).build());
      spans.add(SpanFixtures.memory(trace, null, "store", 101_000, 2, "m1", "stale-mem", 10L, "memory.ttl", 1L));
    }
    spans.add(LineageFixtures.redis(trace, "GET", at + 1500, "stale:a", "memory.found", true));
    spans.add(LineageFixtures.redis(trace, "GET", at + 4000, "stale:a", "memory.found", true));
    spans.add(LineageFixtures.redis(trace, "GET", at + 3000, "stale:b", "memory.found", true));
    spans.add(LineageFixtures.redis(trace, "GET", at + 6000, "hidden:c", "memory.found", true));
    spans.add(SpanFixtures.memory(trace, null, "retrieve", at + 5000, 2, "m1", "stale-mem", null, "memory.found", true));
    return SpanFixtures.request("svc-stale", spans);
  }

  /**
   * The view's stale reads of both layers, with whether each is since {@link #SINCE} as a last column: asked once per
   * store (a question of the view costs about a second), taken layer by layer.
   */
  private static ResultTable staleInView(SqlSource source) {
    ResultTable view = source.query("SELECT " + COLUMNS + ", (" + SINCE.substring(" AND ".length())
        .replace("start_time", "read_time") + ") AS is_since FROM lineage WHERE " + STALE
        + " ORDER BY read_time, read_span_id");
    assertThat(view.truncated()).isFalse();
    return view;
  }

  /** The stale reads both ways, equal; how many. */
  private static int compare(SqlSource source, ResultTable view, String layer, boolean since) {
    List<List<Object>> picked = source.query("SELECT " + COLUMNS + " FROM " + PastTtlReads.of(source, layer,
        since ? SINCE : "") + " AS p WHERE " + STALE + " ORDER BY read_time, read_span_id").rows();
    int l = view.column("read_layer");
    int s = view.column("is_since");
    List<List<Object>> stale = view.rows().stream().filter(r -> layer.equals(String.valueOf(r.get(l)))
        && (!since || Boolean.TRUE.equals(r.get(s)))).map(r -> r.subList(0, r.size() - 1)).toList();
    assertThat(picked).as(layer + (since ? SINCE : "")).isEqualTo(stale);
    return stale.size();
  }
}
