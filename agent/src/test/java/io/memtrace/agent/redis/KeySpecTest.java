package io.memtrace.agent.redis;

import io.memtrace.common.redis.KeySpec;

import static io.memtrace.agent.redis.RedisCommandInfoTest.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each kind of Redis key spec, read from the generated table and applied to real argument lists. */
class KeySpecTest {

  /** The positions the table takes as keys in {@code args}. */
  static List<Integer> keysOf(String... args) {
    RedisCommandInfo info = command(args);
    List<Integer> keys = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (info.isKey(i)) {
        keys.add(i);
      }
    }
    return keys;
  }

  @Nested
  class Ranges {

    @Test
    void shouldTakeOneKeyAtAFixedIndex() {
      assertThat(keysOf("GET", "k")).containsExactly(1);
      assertThat(keysOf("SETBIT", "bits", "7", "1")).containsExactly(1);
      assertThat(keysOf("MOVE", "k", "2")).containsExactly(1);
    }

    @Test
    void shouldTakeEveryKeyToTheEnd() {
      assertThat(keysOf("DEL", "a", "b", "c")).containsExactly(1, 2, 3);
      assertThat(keysOf("SDIFF", "a", "b")).containsExactly(1, 2);
    }

    @Test
    void shouldStepOverValuesWhenKeysAlternate() {
      assertThat(keysOf("MSET", "a", "1", "b", "2")).containsExactly(1, 3);
    }

    @Test
    void shouldStopBeforeTrailingArgumentsWhenTheRangeEndsBeforeTheLast() {
      assertThat(keysOf("BLPOP", "q1", "q2", "5")).containsExactly(1, 2);
      assertThat(keysOf("JSON.MGET", "doc:1", "doc:2", "$.name")).containsExactly(1, 2);
    }

    @Test
    void shouldTakeConsecutiveRangesOfTwoSpecs() {
      assertThat(keysOf("BITOP", "AND", "dest", "a", "b")).containsExactly(2, 3, 4);
      assertThat(keysOf("LMOVE", "from", "to", "LEFT", "RIGHT")).containsExactly(1, 2);
    }

    @Test
    void shouldTakeTheKeyOfASubcommandAfterItsName() {
      assertThat(keysOf("OBJECT", "ENCODING", "k")).containsExactly(2);
      assertThat(keysOf("xinfo", "stream", "s", "FULL")).containsExactly(2);
      assertThat(keysOf("MEMORY", "USAGE", "k", "SAMPLES", "5")).containsExactly(2);
      assertThat(keysOf("XGROUP", "CREATE", "s", "g", "$")).containsExactly(2);
      assertThat(keysOf("OBJECT", "HELP")).isEmpty();
    }
  }

  @Nested
  class KeyCounts {

    @Test
    void shouldTakeAsManyKeysAsTheCountSays() {
      assertThat(keysOf("EVAL", "return 1", "2", "k1", "k2", "arg")).containsExactly(3, 4);
      assertThat(keysOf("FCALL", "fn", "1", "k1", "arg")).containsExactly(3);
      assertThat(keysOf("EVAL", "return 1", "0", "arg")).isEmpty();
    }

    @Test
    void shouldTakeTheDestinationAndTheCountedKeys() {
      assertThat(keysOf("ZUNIONSTORE", "dest", "2", "a", "b", "WEIGHTS", "1", "2"))
          .containsExactly(1, 3, 4);
    }

    @Test
    void shouldFindTheCountWhereEachCommandPutsIt() {
      assertThat(keysOf("LMPOP", "2", "a", "b", "LEFT")).containsExactly(2, 3);
      assertThat(keysOf("BLMPOP", "0.5", "2", "a", "b", "LEFT", "COUNT", "3")).containsExactly(3, 4);
      assertThat(keysOf("ZMPOP", "1", "z", "MIN")).containsExactly(2);
      assertThat(keysOf("SINTERCARD", "2", "a", "b", "LIMIT", "5")).containsExactly(2, 3);
    }

    @Test
    void shouldStepThroughCountedKeyValuePairs() {
      assertThat(keysOf("MSETEX", "2", "k1", "v1", "k2", "v2", "EX", "10")).containsExactly(2, 4);
    }

    @Test
    void shouldTakeNoKeysWhenTheCountIsNotANumberOrReachesPastTheEnd() {
      assertThat(keysOf("EVAL", "return 1", "two", "k1")).isEmpty();
      assertThat(keysOf("EVAL", "return 1", "5", "k1")).isEmpty();
      assertThat(keysOf("EVAL", "return 1", "-1", "k1")).isEmpty();
    }
  }

  @Nested
  class Keywords {

    @Test
    void shouldTakeTheStreamsAfterStreamsHalfOfWhatFollows() {
      assertThat(keysOf("XREAD", "COUNT", "5", "STREAMS", "s1", "s2", "0", "0")).containsExactly(4, 5);
      assertThat(keysOf("xreadgroup", "group", "g", "c", "streams", "s1", ">")).containsExactly(5);
    }

    @Test
    void shouldTakeAStoreDestinationOnlyWhenItIsThere() {
      assertThat(keysOf("GEORADIUS", "geo", "13.4", "52.5", "10", "km", "STORE", "near"))
          .containsExactly(1, 7);
      assertThat(keysOf("GEORADIUS", "geo", "13.4", "52.5", "10", "km", "STOREDIST", "near"))
          .containsExactly(1, 7);
      assertThat(keysOf("GEORADIUS", "geo", "13.4", "52.5", "10", "km", "ASC")).containsExactly(1);
    }

    @Test
    void shouldTakeTheStoreDestinationOfSortFromTheOverlay() {
      assertThat(keysOf("SORT", "list", "LIMIT", "0", "10", "ALPHA", "STORE", "sorted"))
          .containsExactly(1, 7);
      assertThat(keysOf("SORT", "list", "BY", "weight_*", "GET", "#")).containsExactly(1);
    }

    @Test
    void shouldSearchBackwardsForTheKeysOfMigrate() {
      assertThat(keysOf("MIGRATE", "host", "6379", "", "0", "5000", "COPY", "KEYS", "a", "b"))
          .containsExactly(3, 8, 9);
      assertThat(command("MIGRATE", "host", "6379", "", "0", "5000", "KEYS", "a", "b").firstKey())
          .as("the empty key MIGRATE sends with KEYS is passed over").isEqualTo("a");
      assertThat(keysOf("MIGRATE", "host", "6379", "k", "0", "5000")).containsExactly(3);
    }
  }

  @Test
  void shouldRejectASpecWithoutABeginningOrAFind() {
    assertThatThrownBy(() -> KeySpec.parse("index=1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeySpec.parse("range=0,1,0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeySpec.parse("index=1 range=0,1")).hasMessageContaining("three numbers");
    assertThatThrownBy(() -> KeySpec.parse("index=1 range=0,1,0 extra=1")).hasMessageContaining("extra=1");
    assertThat(KeySpec.parse("unknown flags=RO")).isNull();
  }
}
