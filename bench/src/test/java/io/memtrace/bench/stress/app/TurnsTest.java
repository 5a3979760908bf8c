package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which windows and moments belong to which of two runs taking turns. */
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
    assertThat(Turns.waitNanos(epoch - 1, epoch, turn, 0)).isZero();
    assertThat(Turns.waitNanos(epoch - 1, epoch, turn, 1)).isZero();
    // the first turn is phase 0's
    assertThat(Turns.waitNanos(epoch, epoch, turn, 0)).isZero();
    assertThat(Turns.waitNanos(epoch, epoch, turn, 1)).isEqualTo(turn);
    assertThat(Turns.waitNanos(epoch + turn - 1, epoch, turn, 1)).isEqualTo(1);
    assertThat(Turns.waitNanos(epoch + turn, epoch, turn, 1)).isZero();
    assertThat(Turns.waitNanos(epoch + turn + S / 2, epoch, turn, 0)).isEqualTo(S + S / 2);
    assertThat(Turns.waitNanos(epoch + 2 * turn, epoch, turn, 0)).isZero();
  }
}
