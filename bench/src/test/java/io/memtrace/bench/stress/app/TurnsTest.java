package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which windows and moments belong to which of the runs taking turns. */
class TurnsTest {

  private static final long S = 1_000_000_000L;

  @Test
  void shouldGiveEachRunEveryOtherTurnOfWindows() {
    Turns first = new Turns(0, 2, 0);
    Turns second = new Turns(0, 2, 1);

    assertThat(IntStream.range(0, 8).filter(first::ownsWindow).boxed()).containsExactly(0, 1, 4, 5);
    assertThat(IntStream.range(0, 8).filter(second::ownsWindow).boxed()).containsExactly(2, 3, 6, 7);
    assertThat(IntStream.range(0, 4).filter(new Turns(0, 1, 1)::ownsWindow).boxed()).containsExactly(1, 3);
  }

  @Test
  void shouldLetBothRunBeforeTheEpochAndHoldEachOutOfTheOthersTurn() {
    long epoch = 100 * S;
    long turn = 2 * S;

    // warm-up: both at once
    assertThat(Turns.waitNanos(epoch - 1, epoch, turn, 0, 2)).isZero();
    assertThat(Turns.waitNanos(epoch - 1, epoch, turn, 1, 2)).isZero();
    // the first turn is phase 0's
    assertThat(Turns.waitNanos(epoch, epoch, turn, 0, 2)).isZero();
    assertThat(Turns.waitNanos(epoch, epoch, turn, 1, 2)).isEqualTo(turn);
    assertThat(Turns.waitNanos(epoch + turn - 1, epoch, turn, 1, 2)).isEqualTo(1);
    assertThat(Turns.waitNanos(epoch + turn, epoch, turn, 1, 2)).isZero();
    assertThat(Turns.waitNanos(epoch + turn + S / 2, epoch, turn, 0, 2)).isEqualTo(S + S / 2);
    assertThat(Turns.waitNanos(epoch + 2 * turn, epoch, turn, 0, 2)).isZero();
  }

  @Test
  void shouldGiveEachOfFourRunsEveryFourthTurn() {
    assertThat(IntStream.range(0, 8).filter(new Turns(0, 1, 0, 4)::ownsWindow).boxed()).containsExactly(0, 4);
    assertThat(IntStream.range(0, 12).filter(new Turns(0, 2, 3, 4)::ownsWindow).boxed()).containsExactly(6, 7);
    assertThat(new Turns(0, 2, 0)).isEqualTo(new Turns(0, 2, 0, 2));
  }

  @Test
  void shouldHoldEachOfFourRunsUntilItsNextTurn() {
    long epoch = 100 * S;
    long turn = S;

    assertThat(Turns.waitNanos(epoch - 1, epoch, turn, 3, 4)).isZero();
    assertThat(Turns.waitNanos(epoch, epoch, turn, 0, 4)).isZero();
    assertThat(Turns.waitNanos(epoch, epoch, turn, 1, 4)).isEqualTo(turn);
    assertThat(Turns.waitNanos(epoch, epoch, turn, 3, 4)).isEqualTo(3 * turn);
    // in turn 1 (phase 1's), phase 0 waits for turn 4, phase 2 for turn 2
    assertThat(Turns.waitNanos(epoch + turn + S / 4, epoch, turn, 0, 4)).isEqualTo(3 * turn - S / 4);
    assertThat(Turns.waitNanos(epoch + turn + S / 4, epoch, turn, 2, 4)).isEqualTo(turn - S / 4);
    assertThat(Turns.waitNanos(epoch + 7 * turn, epoch, turn, 3, 4)).isZero();
  }
}
