package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An operation counts in the window it ended in, whichever window the sampler is closing. */
class WindowGridTest {

  private static final long S = WindowGrid.WINDOW_NANOS;

  @Test
  void shouldAlternateTheRecordersWindowByWindowFromTheOrigin() {
    WindowGrid grid = new WindowGrid();
    assertThat(grid.recorderOf(123)).as("the warm-up, before the grid is set").isZero();

    long origin = 1_000 * S + 7;
    grid.set(origin);
    assertThat(grid.recorderOf(origin)).isZero();
    assertThat(grid.recorderOf(origin + S - 1)).isZero();
    assertThat(grid.recorderOf(origin + S)).isOne();
    assertThat(grid.recorderOf(origin + 2 * S + S / 2)).isZero();
    assertThat(grid.recorderOf(origin - 1)).as("window -1").isOne();
    assertThat(grid.recorderOf(origin - S - 1)).as("window -2").isZero();
  }

  @Test
  void shouldLeaveAnOperationOfTheNextWindowOutOfTheWindowBeingClosedLate() {
    WindowGrid grid = new WindowGrid();
    OpClock clock = new OpClock(Gate.OPEN, grid);
    WindowDrain drain = new WindowDrain(new StressCounters());
    drain.use(java.util.List.of(clock));
    // window 0 ended 200 ms ago and the sampler has not closed it yet: these end in window 1
    grid.set(System.nanoTime() - S - 200_000_000L);
    clock.stop(clock.start());
    clock.stop(clock.start());

    Measured closing = new Measured();
    drain.drainInto(closing, 0);
    assertThat(closing.ops()).as("window 0, closed late").isZero();
    Measured next = new Measured();
    drain.drainInto(next, 1);
    assertThat(next.ops()).as("window 1").isEqualTo(2);
  }
}
