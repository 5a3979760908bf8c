package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.TraceMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer's memory of the spans it committed: what it skips, what it forgets, and when. */
class DedupWindowTest {

  /** A window with room to spare, and the seed trace's spans: one request that the writer may see again. */
  private DedupWindow seedWindow;
  private List<SpanRow> seed;

  @BeforeEach
  void seedRequest() throws Exception {
    seedWindow = new DedupWindow(1024, 1);
    seed = TraceMapper.map(SpanFixtures.seedTrace());
  }

  @Test
  void shouldSkipEverySpanOfARequestCommittedBefore() {
    assertThat(sightings(seedWindow, seed)).hasSize(seed.size());
    seedWindow.committed(seed.size());

    assertThat(sightings(seedWindow, seed)).isEmpty();
    assertThat(seedWindow.skipped()).isEqualTo(seed.size());
  }

  @Test
  void shouldKeepOnlyTheFirstCopyWhenOneFlushHoldsTheRequestTwice() {
    sightings(seedWindow, seed);

    assertThat(sightings(seedWindow, seed)).isEmpty();
    assertThat(seedWindow.skipped()).isEqualTo(seed.size());
  }

  @Test
  void shouldTakeTheRetryOfAFlushThatFailed() {
    sightings(seedWindow, seed);
    assertThat(seedWindow.repeatsAfter(0)).as("nothing forgotten yet").isEqualTo(Long.MAX_VALUE);
    seedWindow.failed(1, seed.size());

    assertThat(sightings(seedWindow, seed)).hasSize(seed.size());
    assertThat(seedWindow.skipped()).isZero();
    // the failed flush's rows may be stored even so: the rows after them are checked for repeats of them, until
    // those rows have moved
    assertThat(seedWindow.repeatsAfter(0)).isZero();
    assertThat(seedWindow.repeatsAfter(seed.size())).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shouldForgetTheOlderGenerationOnlyOnceTheNewerIsFull() {
    DedupWindow window = new DedupWindow(4, 1);
    List<SpanRow> first = spans(0, 4);
    sightings(window, first);
    window.committed(4);
    sightings(window, spans(4, 8));
    window.committed(8);
    assertThat(window.forgottenThrough()).isZero();
    assertThat(sightings(window, first)).isEmpty();

    sightings(window, spans(8, 9));
    window.committed(9);

    assertThat(window.forgottenThrough()).isEqualTo(4);
    assertThat(sightings(window, first)).hasSize(4);
    assertThat(sightings(window, spans(4, 9))).isEmpty();
  }

  @Test
  void shouldNameOnlyTheRowsCheckedAfterAForgettingAsPossibleRepeats() {
    DedupWindow window = new DedupWindow(4, 1);
    assertThat(window.repeatsAfter(0)).isEqualTo(Long.MAX_VALUE);
    sightings(window, spans(0, 4));
    window.committed(4);
    sightings(window, spans(4, 8));
    window.committed(8);
    assertThat(window.repeatsAfter(0)).isEqualTo(Long.MAX_VALUE);
    sightings(window, spans(8, 9));
    window.committed(9);
    // rows 1-4 forgotten while row 9 was remembered: rows after 9 may repeat them, until they have moved
    assertThat(window.repeatsAfter(0)).isEqualTo(9);
    assertThat(window.repeatsAfter(3)).isEqualTo(9);
    assertThat(window.repeatsAfter(4)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shouldTakeEveryRowAnEarlierProcessLeftForAPossibleRepeat() {
    DedupWindow window = new DedupWindow(4, 100);
    assertThat(window.repeatsAfter(50)).isEqualTo(Long.MIN_VALUE);
    assertThat(window.repeatsAfter(99)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shouldCountRowsBeforeItsFirstSequenceNumberAsForgotten() {
    assertThat(new DedupWindow(4, 100).forgottenThrough()).isEqualTo(99);
  }

  @Test
  void shouldNeverTakeASpanWithoutHexIdsForARepeat() {
    SpanRow odd = span("not-hex-at-all!!", "0123456789abcdef0123456789abcdef");
    SpanRow shortTrace = span("0123456789abcdef", "0123");
    DedupWindow window = new DedupWindow(16, 1);
    sightings(window, List.of(odd, shortTrace));
    window.committed(2);

    assertThat(sightings(window, List.of(odd, shortTrace))).hasSize(2);
  }

  @Test
  void shouldTellSpansApartByTraceIdWhenTheirSpanIdsAreEqual() {
    DedupWindow window = new DedupWindow(16, 1);
    sightings(window, List.of(span("00000000000000ab", "0123456789abcdef0123456789abcdef")));
    window.committed(1);

    assertThat(sightings(window, List.of(span("00000000000000ab", "0123456789abcdef0123456789abcdee"))))
        .hasSize(1);
  }

  @Test
  void shouldSizeTheWindowFromTheHeapWithinBounds() {
    assertThat(DedupWindow.perGeneration(384L << 20)).isEqualTo(1 << 19);
    assertThat(DedupWindow.perGeneration(16L << 20)).isEqualTo(1 << 14);
    assertThat(DedupWindow.perGeneration(1L << 20)).isEqualTo(1 << 12);
    assertThat(DedupWindow.perGeneration(64L << 30)).isEqualTo(1 << 22);
  }

  @Test
  void shouldStartEmptyAfterClearAndHoldWhatIsAddedAgain() {
    LongPairSet set = new LongPairSet(3);
    set.add(1, 2);
    set.add(3, 4);
    set.clear();
    assertThat(set.contains(1, 2)).isFalse();
    assertThat(set.add(3, 4)).isTrue();
    assertThat(set.add(3, 4)).isFalse();
    assertThat(set.contains(3, 5)).isFalse();
  }

  private static List<SpanRow> spans(int from, int to) {
    List<SpanRow> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(span(String.format("%016x", i + 1), "0123456789abcdef0123456789abcdef"));
    }
    return rows;
  }

  private static SpanRow span(String spanId, String traceId) {
    return new SpanRow(traceId, spanId, null, null, "GET", "CLIENT", 1, 2, "UNSET", null, "svc", "scope",
        java.util.Map.of(), "{}", "[]", "{}");
  }

  /** What the writer does: the keys worked out as on the request's thread, then the window's verdict. */
  private static int[] sightings(DedupWindow window, List<SpanRow> rows) {
    return window.firstSightings(PreparedSpans.of(rows));
  }
}
