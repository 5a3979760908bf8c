package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoveSizeTest {

  @Test
  void shouldHalveAfterAMoveThatRanOutOfMemoryDownToOneRowGroupAndDoubleBackAfterMovesThatFit() {
    MoveSize size = new MoveSize(8 * 100, 100);
    assertThat(size.rows()).isEqualTo(800);
    size.outOfMemory();
    assertThat(size.rows()).isEqualTo(400);
    size.outOfMemory();
    size.outOfMemory();
    assertThat(size.rows()).isEqualTo(100);
    assertThat(size.smallest()).isTrue();
    size.outOfMemory();
    assertThat(size.rows()).as("never less than a row group").isEqualTo(100);
    size.fitted();
    assertThat(size.rows()).isEqualTo(200);
    assertThat(size.smallest()).isFalse();
    size.fitted();
    size.fitted();
    size.fitted();
    assertThat(size.rows()).as("never more than the most a move takes").isEqualTo(800);
  }

  @Test
  void shouldLetALastMoveTakeAShortRemainderWithIt() {
    MoveSize size = new MoveSize(8 * 100, 100);
    assertThat(size.withRemainder()).as("an eighth more").isEqualTo(900);
    size.outOfMemory();
    assertThat(size.withRemainder()).as("an eighth of the halved move").isEqualTo(450);
    assertThat(new MoveSize(16 * 100, 100).withRemainder()).as("a row group at the most").isEqualTo(1700);
  }

  @Test
  void shouldStayInWholeRowGroups() {
    MoveSize size = new MoveSize(6 * 100, 100);
    size.outOfMemory();
    assertThat(size.rows()).isEqualTo(300);
    size.outOfMemory();
    assertThat(size.rows()).as("half of three row groups, rounded down to whole ones").isEqualTo(100);
    assertThatThrownBy(() -> new MoveSize(250, 100)).hasMessageContaining("whole row groups of 100 rows");
  }
}
