package io.memtrace.agent.redis;

import static io.memtrace.agent.redis.RedisCommandInfoTest.command;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisReplyTest {

  private static final byte[] ABC = {'a', 'b', 'c'};

  @Test
  void shouldCountBytesOfBulkString() {
    assertThat(RedisReply.bytes(ABC)).isEqualTo(3);
    assertThat(RedisReply.bytes(new byte[0])).isZero();
  }

  @Test
  void shouldReportNoBytesForNilAndNonData() {
    assertThat(RedisReply.bytes(null)).isEqualTo(-1);
    assertThat(RedisReply.bytes(42L)).isEqualTo(-1);
    assertThat(RedisReply.bytes("OK")).isEqualTo(-1);
  }

  @Test
  void shouldSumBytesOfArraySkippingNils() {
    assertThat(RedisReply.bytes(Arrays.asList(ABC, null, new byte[] {'d'}))).isEqualTo(4);
    assertThat(RedisReply.bytes(List.of(List.of(ABC), List.of(ABC)))).isEqualTo(6);
  }

  @Test
  void shouldReportNoBytesForEmptyOrAllNilArray() {
    assertThat(RedisReply.bytes(List.of())).isEqualTo(-1);
    assertThat(RedisReply.bytes(Arrays.asList(null, null))).isEqualTo(-1);
  }

  @Test
  void shouldSumKeysAndValuesOfMap() {
    assertThat(RedisReply.bytes(Map.of(ABC, new byte[] {'x', 'y'}))).isEqualTo(5);
  }

  @Test
  void shouldTellHitFromMissByNil() {
    RedisCommandInfo get = command("GET", "k");

    assertThat(RedisReply.found(get, ABC)).isTrue();
    assertThat(RedisReply.found(get, new byte[0])).as("an empty string exists").isTrue();
    assertThat(RedisReply.found(get, null)).isFalse();
  }

  @Test
  void shouldTellHitFromMissInArrays() {
    RedisCommandInfo mget = command("MGET", "a", "b");

    assertThat(RedisReply.found(mget, Arrays.asList(null, ABC))).isTrue();
    assertThat(RedisReply.found(mget, Arrays.asList(null, null))).isFalse();
    assertThat(RedisReply.found(mget, List.of())).isFalse();
    assertThat(RedisReply.found(command("HGETALL", "h"), Map.of())).isFalse();
    assertThat(RedisReply.found(command("HGETALL", "h"), Map.of(ABC, ABC))).isTrue();
  }

  @Test
  void shouldTellHitFromMissByCountForExists() {
    RedisCommandInfo exists = command("EXISTS", "a", "b");

    assertThat(RedisReply.found(exists, 2L)).isTrue();
    assertThat(RedisReply.found(exists, 0L)).isFalse();
    assertThat(RedisReply.found(exists, null)).as("no number, no answer").isNull();
  }

  @Test
  void shouldSayNothingForCommandsWithoutFoundRule() {
    assertThat(RedisReply.found(command("SET", "k", "v"), ABC)).isNull();
    assertThat(RedisReply.found(command("FOO", "k"), null)).isNull();
  }
}
