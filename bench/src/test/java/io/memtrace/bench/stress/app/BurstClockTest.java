package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shared clock that makes every burst thread work and rest at the same moments. */
class BurstClockTest {

  private final BurstClock clock = new BurstClock(1_000, 200, 800);

  @Test
  void shouldLetOperationsThroughDuringABurst() {
    assertThat(clock.waitNanos(1_000)).isZero();
    assertThat(clock.waitNanos(1_199)).isZero();
    assertThat(clock.waitNanos(2_000)).isZero();
    assertThat(clock.waitNanos(2_150)).isZero();
  }

  @Test
  void shouldWaitUntilTheNextBurstDuringAPause() {
    assertThat(clock.waitNanos(1_200)).isEqualTo(800);
    assertThat(clock.waitNanos(1_999)).isEqualTo(1);
    assertThat(clock.waitNanos(5_600)).isEqualTo(400);
  }

  @Test
  void shouldKeepTheSamePhaseBeforeItsStart() {
    // a thread whose clock reading precedes the start sees the same period pattern
    assertThat(clock.waitNanos(0)).isZero();
    assertThat(clock.waitNanos(-500)).isEqualTo(500);
  }

  @Test
  void shouldNeverPauseWithoutAPause() {
    BurstClock always = new BurstClock(0, 200, 0);
    assertThat(always.waitNanos(199)).isZero();
    assertThat(always.waitNanos(12_345)).isZero();
  }
}
