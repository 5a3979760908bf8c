package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a build of the key events says while it runs: spans done of the total, time taken, time left at that pace. */
class RebuildProgressTest {

  @Test
  void shouldSayHowFarItIsAndHowLongIsLeftAtThePaceSoFar() {
    RebuildProgress progress = new RebuildProgress(10_000_384, 0);
    assertThat(progress.line(2_500_096, 20_000_000_000L))
        .isEqualTo("key events: 2500096 of 10000384 spans (25 %), 20 s, about 60 s left");
    assertThat(progress.line(10_000_384, 80_000_000_000L)).isEqualTo("key events: 10000384 of 10000384 spans (100 %), 80 s");
  }
}
