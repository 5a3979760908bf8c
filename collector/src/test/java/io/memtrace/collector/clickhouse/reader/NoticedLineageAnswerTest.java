package io.memtrace.collector.clickhouse.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.KeyTimeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse's lineage row of a read that found nothing, answered by the read's timeline event
 * ({@link NoticedLineage#answered}): where the timeline cannot tell why, the row says so and names no write the
 * timeline does not (the truth suite's seeds 20382, 20594, 21334 and 21363 with {@code -Dtruth.clickhouse=true}).
 */
class NoticedLineageAnswerTest {

  private static final List<String> COLUMNS = List.of("read_trace_id", "read_span_id", "read_layer", "key", "found",
      "write_trace_id", "write_span_id", "write_service", "write_name", "write_access", "write_time_us",
      "value_age_ms", "writer", "write_ttl", "miss");

  /** A lineage row of a read that found nothing, as the join gives it: its write ({@code span}, null for none). */
  private static ResultTable joined(String span, String access) {
    List<ResultTable.Column> columns = COLUMNS.stream().map(c -> new ResultTable.Column(c, "VARCHAR")).toList();
    List<Object> row = span == null
        ? Arrays.asList("r", "r-s", "redis", "k:1", false, null, null, null, null, null, null, null, "not_in_store",
            null, null)
        : Arrays.asList("r", "r-s", "redis", "k:1", false, "w", span, "svc", "SET", access, 5_000_000L, 5_000.0,
            "seen", null, "delete".equals(access) ? "deleted" : "unknown");
    return new ResultTable(columns, List.of(new ArrayList<>(row)), false);
  }

  /** The read's timeline event: found nothing for {@code kind}, the last traced change before it {@code writer}. */
  private static KeyTimeline.Event read(String kind, String writer, String what) {
    KeyTimeline.Ref ref = writer == null ? null
        : new KeyTimeline.Ref("w", writer, 5_000_000L, "svc", "trace", what, null);
    return new KeyTimeline.Event(10_000_000L, "read_nothing", "trace", "GET by svc (trace r)", "redis", "GET", "svc",
        "r", "r-s", "localhost:6379", 0, "k:1", "k", null, null, null, null, List.of(), ref, List.of(), "unknown: …",
        kind);
  }

  private static String cell(ResultTable table, List<Object> row, String column) {
    Object v = row.get(table.column(column));
    return v == null ? null : v.toString();
  }

  @Test
  void shouldSayTheWriterIsUnknownWhenTheJoinNamesNoneAndTheTimelineCannotTellWhy() {
    // seed 20382: a Node DEL (no database on its span) removed the key; the join placed neither it nor the pipeline's
    // SET before it, and the timeline, whose last traced change is the DEL, says unknown_late
    ResultTable rows = joined(null, null);
    List<Object> row = NoticedLineage.answered(rows, 0, read("unknown_late", "d-s", "delete"), Map.of());
    assertThat(cell(rows, row, "writer")).as("not 'not in store': the DEL's span is").isEqualTo("unknown");
    assertThat(cell(rows, row, "miss")).isEqualTo("unknown");
    assertThat(cell(rows, row, "write_span_id")).isNull();
  }

  @Test
  void shouldNotNameAJoinedDeleteTheTimelineDoesNotConfirm() {
    // seed 21363: a Node DEL that removed nothing, paired with an untraced DEL's del received before it began
    ResultTable rows = joined("d-s", "delete");
    List<Object> row = NoticedLineage.answered(rows, 0, read("unknown_early", "d-s", "delete"), Map.of());
    assertThat(cell(rows, row, "writer")).isEqualTo("unknown");
    assertThat(cell(rows, row, "write_access")).isNull();
  }

  @Test
  void shouldNotKeepAnOlderJoinedWriteWhenTheTimelineKnowsALaterTracedChange() {
    // seed 20594: a MULTI's DEL, which the join does not place, after the SET the join names
    ResultTable rows = joined("w1-s", "write");
    List<Object> row = NoticedLineage.answered(rows, 0, read("unknown_late", "m-s", "delete"), Map.of());
    assertThat(cell(rows, row, "writer")).isEqualTo("unknown");
    assertThat(cell(rows, row, "write_span_id")).isNull();
  }

  @Test
  void shouldKeepTheJoinedWriteBesideAnUnknownMissWhenTheTimelineNamesTheSame() {
    ResultTable rows = joined("w1-s", "write");
    List<Object> row = NoticedLineage.answered(rows, 0, read("unknown", "w1-s", "write"), Map.of());
    assertThat(cell(rows, row, "writer")).isEqualTo("seen");
    assertThat(cell(rows, row, "write_span_id")).isEqualTo("w1-s");
    assertThat(cell(rows, row, "miss")).isEqualTo("unknown");
  }

  @Test
  void shouldNameTheTimelinesTracedDeleteWhenItSaysDeleted() {
    ResultTable rows = joined(null, null);
    List<Object> row = NoticedLineage.answered(rows, 0, read("deleted", "d-s", "delete"), Map.of());
    assertThat(cell(rows, row, "writer")).isEqualTo("seen");
    assertThat(cell(rows, row, "write_span_id")).isEqualTo("d-s");
    assertThat(cell(rows, row, "write_access")).isEqualTo("delete");
    assertThat(cell(rows, row, "miss")).isEqualTo("deleted");
  }

  @Test
  void shouldSayTheWriterIsUnknownWhenNeitherTheJoinNorTheTimelineNamesAChangeButTheTimelineCannotTellWhy() {
    // seed 22134: a Node DEL removed the key; neither the join nor the read's timeline named it (no database)
    ResultTable rows = joined(null, null);
    List<Object> row = NoticedLineage.answered(rows, 0, read("unknown_unplaced", null, null), Map.of());
    assertThat(cell(rows, row, "writer")).isEqualTo("unknown");
  }

  @Test
  void shouldNotNameAJoinedDeleteBesideADeleteOutsideAfterIt() {
    // seed 41152: a traced RENAME moved the key away, a second RENAME brought it back (its span names the other key),
    // and an untraced DEL removed it; the join names the first RENAME, a delete, beside the timeline's outside delete
    ResultTable rows = joined("d-s", "delete");
    List<Object> row = NoticedLineage.answered(rows, 0, read("deleted_outside", "d-s", "delete"), Map.of());
    assertThat(cell(rows, row, "writer")).as("not the RENAME: deleted outside").isEqualTo("outside");
    assertThat(cell(rows, row, "write_span_id")).isNull();
    assertThat(cell(rows, row, "miss")).isEqualTo("deleted");
  }

  @Test
  void shouldSayTheWriterIsUnknownWhenTheTimelinePlacesNoChangeBeforeAReadThatFoundAValue() {
    // seed 52086: a Node SET (no database on its span), its set received after the next read began; the read's
    // timeline names no writer, and the join, which places no span without a database, said 'not_in_store'
    List<ResultTable.Column> columns = COLUMNS.stream().map(c -> new ResultTable.Column(c, "VARCHAR")).toList();
    ResultTable rows = new ResultTable(columns, List.of(new ArrayList<>(Arrays.asList("r", "r-s", "redis", "k:1", true,
        null, null, null, null, null, null, null, "not_in_store", null, null))), false);
    KeyTimeline.Event found = new KeyTimeline.Event(10_000_000L, "read", "trace", "GET by svc (trace r)", "redis",
        "GET", "svc", "r", "r-s", "localhost:6379", 6, "k:1", "k", 17L, null, null, null, List.of(), null, List.of(),
        null, null);
    List<Object> row = NoticedLineage.answered(rows, 0, found, Map.of());
    assertThat(cell(rows, row, "writer")).as("not 'not in store': the Node SET's span is").isEqualTo("unknown");
    assertThat(cell(rows, row, "miss")).isNull();
  }
}
