package io.memtrace.collector.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompressedCountTest {

  private static String event(long count, Long keyEvents) {
    return "{\"name\":\"memtrace.compressed\",\"attributes\":{\"db.operation.name\":\"GET\",\"memory.namespace\":\"app\","
        + "\"memtrace.compressed.count\":" + count + ",\"memtrace.compressed.duration_ms\":1.5"
        + (keyEvents == null ? "" : ",\"memtrace.compressed.key_events\":" + keyEvents) + "}}";
  }

  @Test
  void shouldCountEveryCompressedCommandWhenNoneWentOutAsAKeyEvent() {
    List<CompressedCount> counts = CompressedCount.of("[" + event(5, null) + "]");
    assertThat(counts).extracting(CompressedCount::line).containsExactly("+5 compressed GET (app) 1.5 ms total");
  }

  @Test
  void shouldLeaveOutACountWhoseCommandsAreAllShownFromTheirKeyEvents() {
    assertThat(CompressedCount.of("[" + event(3, 3L) + "]")).isEmpty();
  }

  @Test
  void shouldCountOnlyTheCommandsNotShownFromKeyEvents() {
    List<CompressedCount> counts = CompressedCount.of("[" + event(5, 3L) + "]");
    assertThat(counts).extracting(CompressedCount::count).containsExactly(2L);
    assertThat(counts).extracting(CompressedCount::line)
        .containsExactly("+2 compressed GET (app), 3 more shown from their key events");
  }
}
