package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How much ballast reaches a heap share, and that none is held for 0 %. */
class BallastTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void shouldAddTheDifferenceBetweenTheTargetAndWhatIsUsed() {
    assertThat(Ballast.bytesToAdd(100 * MIB, 1000 * MIB, 80)).isEqualTo(700 * MIB);
    assertThat(Ballast.bytesToAdd(0, 1000 * MIB, 12.5)).isEqualTo(125 * MIB);
  }

  @Test
  void shouldAddNothingWhenTheHeapIsAlreadyFullEnough() {
    assertThat(Ballast.bytesToAdd(900 * MIB, 1000 * MIB, 80)).isZero();
    assertThat(Ballast.bytesToAdd(100 * MIB, 1000 * MIB, 0)).isZero();
  }

  @Test
  void shouldNotOverflowForLargeHeaps() {
    long max = 64L * 1024 * MIB;
    assertThat(Ballast.bytesToAdd(0, max, 99.9)).isEqualTo((long) (max * 0.999));
  }

  @Test
  void shouldRoundChunksUp() {
    assertThat(Ballast.chunksFor(0)).isZero();
    assertThat(Ballast.chunksFor(1)).isEqualTo(1);
    assertThat(Ballast.chunksFor(Ballast.CHUNK_BYTES)).isEqualTo(1);
    assertThat(Ballast.chunksFor(Ballast.CHUNK_BYTES + 1L)).isEqualTo(2);
    assertThat(Ballast.chunksFor(10L * Ballast.CHUNK_BYTES)).isEqualTo(10);
  }

  @Test
  void shouldHoldNothingForZeroPercent() {
    assertThat(Ballast.fill(0).bytes()).isZero();
  }

  @Test
  void shouldHoldSomeHeapForASmallShare() {
    long max = Runtime.getRuntime().maxMemory();
    System.gc();
    long used = ProcessGauges.heapUsedBytes();
    // a share well above what the test JVM uses, well below what it may use
    double percent = Math.min(90, 100.0 * (used + 64 * MIB) / max);

    Ballast ballast = Ballast.fill(percent);

    assertThat(ballast.bytes()).isPositive();
    assertThat(ballast.bytes()).isLessThanOrEqualTo(Ballast.bytesToAdd(0, max, percent) + Ballast.CHUNK_BYTES);
  }
}
