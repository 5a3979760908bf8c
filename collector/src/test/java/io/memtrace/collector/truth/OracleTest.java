package io.memtrace.collector.truth;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.truth.KeyModel.Place;
import io.memtrace.collector.truth.RedisRecord.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle's model placing a window's expiries among a step's commands, on events built by hand. */
class OracleTest {

  private static final Change FIRST = new Change("write", Step.Actor.OUTSIDE, 1, "SET");
  private static final Change PIPE = new Change("write", Step.Actor.TRACED, 2, "PIPE");

  private static Event event(int index, String key, String event) {
    return new Event(index, 0, key, event, index);
  }

  private static Oracle withOldValue() {
    Oracle oracle = new Oracle();
    oracle.change(0, List.of(List.of("SET", "t1:b", "v1.0")), List.of("OK"), FIRST, List.of(event(0, "t1:b", "set")));
    return oracle;
  }

  @Test
  void shouldPlaceAnExpiryBetweenAPipelinesCommandsWhereRedisReportedIt() {
    // the old value of b expired after the pipeline's SET of a and before its SET of b (a pipeline is not atomic)
    Oracle oracle = withOldValue();
    oracle.change(0, List.of(List.of("SET", "t1:a", "v1.1"), List.of("SET", "t1:b", "v1.1p")), List.of("OK", "OK"),
        PIPE, List.of(event(1, "t1:a", "set"), event(2, "t1:b", "expired"), event(3, "t1:b", "set")));
    assertThat(oracle.read(new Place(0, "t1:b"), "v1.1p", List.of())).isEqualTo(PIPE);
    assertThat(oracle.inconsistencies).isEmpty();
  }

  @Test
  void shouldPlaceAnExpiryAfterTheWriteWhereRedisReportedItAfter() {
    Oracle oracle = withOldValue();
    oracle.change(0, List.of(List.of("SET", "t1:b", "v1.1", "PX", "5"), List.of("SET", "t1:a", "v1.1p")),
        List.of("OK", "OK"), PIPE, List.of(event(1, "t1:b", "set"), event(2, "t1:a", "set"),
            event(3, "t1:b", "expired")));
    assertThat(oracle.read(new Place(0, "t1:b"), "(nil)", List.of()).what()).isNotEqualTo("write");
    assertThat(oracle.inconsistencies).isEmpty();
  }

  @Test
  void shouldTakeTheRemovalsOfAStepWithNoEventOfItsOwnAsBeforeIt() {
    // a SWAPDB sends no key event: the eviction of b in its window is placed before it, as the model has always done
    Oracle oracle = withOldValue();
    oracle.change(0, List.of(List.of("SWAPDB", "0", "1")), List.of("OK"), PIPE, List.of(event(1, "t1:b", "evicted")));
    assertThat(oracle.read(new Place(1, "t1:b"), "(nil)", List.of()).what()).isNotEqualTo("write");
    assertThat(oracle.inconsistencies).isEmpty();
  }
}
