package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasuresTest {

  private static final long T0 = 1_000_000;

  /** A window ending at second {@code i}: p99 in µs, cumulative drops and exported count. */
  private static Sample window(int i, double p99, long ops, long dropped, long exported) {
    return new Sample(T0 + i * 1000L, ops, 0, 0, 100, p99, p99, p99, 10, 5, 20, 8, 6, 0, 0, exported, exported, 0,
        dropped, 0, 8192, 10, 0, 6, Double.NaN);
  }

  @Test
  void shouldScoreTheShareOfWindowsWithinTheFactorAndWithoutDrops() {
    List<Sample> s = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      s.add(window(i, 1000, 2000, 0, i * 100));
    }
    s.set(3, window(4, 1600, 2000, 0, 400));   // p99 1.6x the steady 1000: not stable
    s.set(6, window(7, 1000, 2000, 5, 700));   // 5 dropped in this window
    s.set(7, window(8, 1000, 2000, 5, 800));   // none more dropped: stable again

    assertThat(Measures.stability(s, List.of(), 1.5)).isEqualTo(80.0);
    assertThat(Measures.dropsPerWindow(s)).containsExactly(0, 0, 0, 0, 0, 0, 5, 0, 0, 0);
  }

  @Test
  void shouldTakeTheSteadyReferenceFromWindowsOutsideFaults() {
    List<Sample> s = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      s.add(window(i, i >= 4 && i <= 6 ? 9000 : 1000, 2000, 0, i * 100));
    }
    FaultWindow fault = new FaultWindow("down", T0 + 3000, T0 + 6000);

    assertThat(Measures.steady(s, List.of(fault), Sample::p99us)).isEqualTo(1000);
    assertThat(Measures.stability(s, List.of(fault), 1.5)).isEqualTo(66.7);
  }

  @Test
  void shouldMeasureRecoveryFromTheFaultsEndToTheFirstOfKSteadyWindowsWithExportMoving() {
    List<Sample> s = new ArrayList<>();
    long exported = 0;
    for (int i = 1; i <= 15; i++) {
      boolean slow = i >= 4 && i <= 8;      // bad p99 until the 8th second
      boolean stalled = i >= 4 && i <= 9;   // nothing exported until the 10th
      exported += stalled ? 0 : 100;
      s.add(window(i, slow ? 9000 : 1000, 2000, 0, exported));
    }
    FaultWindow fault = new FaultWindow("down", T0 + 3000, T0 + 6000);

    // windows 7 and 8 are still slow; 9, 10, 11 are steady and export moves in 10: the window
    // starting at second 8, 2 s after the fault ended
    assertThat(Measures.recoverySeconds(s, fault, List.of(fault), 1.5, 3)).isEqualTo(2.0);
  }

  @Test
  void shouldLetOneNoisySecondPassButNotASlowReturn() {
    List<Sample> s = new ArrayList<>();
    long[] p99 = {1000, 1000, 1000, 9000, 9000, 9000, 1000, 9000, 1000, 1000, 1000, 1000};
    for (int i = 1; i <= p99.length; i++) {
      s.add(window(i, p99[i - 1], 2000, 0, i * 100L));
    }
    FaultWindow fault = new FaultWindow("down", T0 + 3000, T0 + 5000);

    // second 6 is still slow; 7 is back, 8 a single noisy second, 9 steady: back 1 s after the fault
    assertThat(Measures.recoverySeconds(s, fault, List.of(fault), 1.5, 3)).isEqualTo(1.0);
    List<Sample> twoNoisy = new ArrayList<>(s);
    twoNoisy.set(8, window(9, 9000, 2000, 0, 900));
    // two slow seconds of three are not steady: from 10 on
    assertThat(Measures.recoverySeconds(twoNoisy, fault, List.of(fault), 1.5, 3)).isEqualTo(4.0);
  }

  @Test
  void shouldSayNeverRecoveredWhenExportNeverMovesAgain() {
    List<Sample> s = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      s.add(window(i, 1000, 2000, 0, i <= 3 ? i * 100 : 300));
    }
    FaultWindow fault = new FaultWindow("down", T0 + 3000, T0 + 5000);

    assertThat(Measures.recoverySeconds(s, fault, List.of(fault), 1.5, 3)).isInfinite();
  }

  @Test
  void shouldReadTheLiveHeapFromTheLowestReadingJustAfterAFullCollection() {
    List<Sample> s = List.of(window(1, 1000, 1, 0, 0), window(2, 1000, 1, 0, 0), window(3, 1000, 1, 0, 0));

    assertThat(Measures.liveHeapAfter(s, T0 + 1500)).isEqualTo(5);
    assertThat(Measures.liveHeapAfter(s, T0 + 3500)).isNaN();
  }
}
