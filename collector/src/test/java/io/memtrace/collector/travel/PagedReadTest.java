package io.memtrace.collector.travel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * How a rebuild reads many rows ({@code AsOfRestore.paged}): through a store whose answers are cut at a cap, page after
 * page from the last time seen, each row once; from a store that streams uncapped, one read taken as it is.
 */
class PagedReadTest {

  /** Rows at times 0..49, three rows a second, so pages end in the middle of a second. */
  private static final List<long[]> ROWS = IntStream.range(0, 150).mapToObj(i -> new long[] {i / 3, i}).toList();

  private static List<long[]> from(Instant cursor, int cap, List<Instant> asked) {
    asked.add(cursor);
    long at = cursor == null ? Long.MIN_VALUE : cursor.getEpochSecond();
    return new ArrayList<>(ROWS.stream().filter(r -> r[0] >= at).limit(cap).toList());
  }

  @Test
  void aCappedStoreIsReadPageByPageEachRowOnce() {
    List<Instant> asked = new ArrayList<>();
    List<long[]> read = AsOfRestore.paged(c -> from(c, 20, asked), r -> Instant.ofEpochSecond(r[0]), r -> r[1], null,
        "bench", 100_000);
    assertThat(read).extracting(r -> r[1]).containsExactlyElementsOf(ROWS.stream().map(r -> r[1]).toList());
    assertThat(asked.size()).isGreaterThan(7);
  }

  @Test
  void anUncappedStoreIsReadOnce() {
    List<Instant> asked = new ArrayList<>();
    List<long[]> read = AsOfRestore.paged(c -> from(c, Integer.MAX_VALUE, asked), r -> Instant.ofEpochSecond(r[0]),
        r -> r[1], null, "bench", AsOfRestore.MAX_ROWS + 1);
    assertThat(read).extracting(r -> r[1]).containsExactlyElementsOf(ROWS.stream().map(r -> r[1]).toList());
    assertThat(asked).hasSize(1);
  }
}
