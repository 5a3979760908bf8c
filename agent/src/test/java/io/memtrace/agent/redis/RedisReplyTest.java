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
    assertThat(RedisReply.bytes(1.5d)).isEqualTo(-1);
    assertThat(RedisReply.bytes(Boolean.TRUE)).isEqualTo(-1);
    assertThat(RedisReply.bytes(RedisReply.UNKNOWN)).isEqualTo(-1);
  }

  /**
   * Jedis hands raw replies (bulk strings as {@code byte[]}); a String is a bulk string a client
   * decoded with its codec (Lettuce's default is UTF-8), so its UTF-8 bytes are what was read.
   */
  @Test
  void shouldCountUtf8BytesOfDecodedStringsAndRemainingBytesOfBuffers() {
    assertThat(RedisReply.bytes("Ada Lovelace")).isEqualTo(12);
    assertThat(RedisReply.bytes("café")).isEqualTo(5);
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
    buffer.get();
    assertThat(RedisReply.bytes(buffer)).isEqualTo(3);
    assertThat(RedisReply.bytes(List.of("ab", "cde"))).isEqualTo(5);
  }

  @Test
  void shouldSizeTheValuesOfLettuceHoldersNotTheirKeysOrScores() {
    assertThat(RedisReply.bytes(io.lettuce.core.Value.just("abcd"))).isEqualTo(4);
    assertThat(RedisReply.bytes(io.lettuce.core.Value.empty())).isEqualTo(-1);
    assertThat(RedisReply.bytes(List.of(io.lettuce.core.KeyValue.just("key", "abc"),
        io.lettuce.core.KeyValue.empty("missing")))).isEqualTo(3);
    assertThat(RedisReply.bytes(List.of(io.lettuce.core.ScoredValue.just(2.5, "member")))).isEqualTo(6);
  }

  @Test
  void shouldTellAnEmptyLettuceHolderFromAFullOne() {
    RedisCommandInfo mget = command("MGET", "a", "b");

    assertThat(RedisReply.found(mget, List.of(io.lettuce.core.KeyValue.empty("a"),
        io.lettuce.core.KeyValue.empty("b")))).isFalse();
    assertThat(RedisReply.found(mget, List.of(io.lettuce.core.KeyValue.empty("a"),
        io.lettuce.core.KeyValue.just("b", "v")))).isTrue();
    assertThat(RedisReply.found(command("GET", "k"), io.lettuce.core.Value.empty())).isFalse();
  }

  @Test
  void shouldTellHitFromMissByBooleansOfLettuce() {
    assertThat(RedisReply.found(command("HEXISTS", "h", "f"), Boolean.TRUE)).isTrue();
    assertThat(RedisReply.found(command("SISMEMBER", "s", "m"), Boolean.FALSE)).isFalse();
    assertThat(RedisReply.found(command("SMISMEMBER", "s", "a", "b"), List.of(false, true))).isTrue();
    assertThat(RedisReply.found(command("SMISMEMBER", "s", "a", "b"), List.of(false, false))).isFalse();
  }

  @Test
  void shouldSayNothingOfAReplyTheClientDidNotKeep() {
    assertThat(RedisReply.found(command("LRANGE", "l", "0", "-1"), RedisReply.UNKNOWN)).isNull();
    assertThat(RedisReply.found(command("EXISTS", "k"), RedisReply.UNKNOWN)).isNull();
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

  /**
   * A reply measured on the wire (Redisson's, whose codec hands the application its own objects)
   * says what the raw reply it was measured from says.
   */
  @Test
  void shouldAnswerForAReplyMeasuredOnTheWireAsForTheRawReply() {
    for (String[] pair : new String[][] {
        {"GET k", "$3\r\nabc\r\n"}, {"GET k", "$-1\r\n"},
        {"MGET a b", "*2\r\n$-1\r\n$2\r\nab\r\n"}, {"MGET a b", "*2\r\n$-1\r\n$-1\r\n"},
        {"EXISTS a b", ":2\r\n"}, {"EXISTS a", ":0\r\n"},
        {"SMISMEMBER s a b", "*2\r\n:0\r\n:1\r\n"}, {"SMISMEMBER s a", "*1\r\n:0\r\n"}}) {
      RedisCommandInfo command = command(pair[0].split(" "));
      io.memtrace.agent.bootstrap.MeasuredReply measured = io.memtrace.agent.bootstrap.RespReplies.measure(
          java.nio.ByteBuffer.wrap(pair[1].getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      Object raw = raw(pair[1]);
      assertThat(RedisReply.bytes(measured)).as("bytes of %s", pair[1]).isEqualTo(RedisReply.bytes(raw));
      assertThat(RedisReply.found(command, measured)).as("found of %s for %s", pair[1], pair[0])
          .isEqualTo(RedisReply.found(command, raw));
    }
  }

  /** The reply as Jedis hands it. */
  private static Object raw(String resp) {
    switch (resp) {
      case "$3\r\nabc\r\n":
        return ABC;
      case "$-1\r\n":
        return null;
      case "*2\r\n$-1\r\n$2\r\nab\r\n":
        return Arrays.asList(null, new byte[] {'a', 'b'});
      case "*2\r\n$-1\r\n$-1\r\n":
        return Arrays.asList(null, null);
      case ":2\r\n":
        return 2L;
      case ":0\r\n":
        return 0L;
      case "*2\r\n:0\r\n:1\r\n":
        return List.of(0L, 1L);
      default:
        return List.of(0L);
    }
  }

  /** The shortcut every read's bulk reply takes says what the general rule says of any bulk string, command by command. */
  @Test
  void shouldSayOfABulkReplyWhatTheGeneralRuleSaysForEveryCommand() throws Exception {
    int nil = 0;
    for (String name : io.memtrace.common.redis.RedisCommandFiles.specs().keySet()) {
      RedisCommandInfo info = command(name, "k", "v");
      assertThat(RedisReply.foundInBulk(info)).as(name).isEqualTo(RedisReply.found(info, ABC));
      nil += Boolean.TRUE.equals(RedisReply.foundInBulk(info)) ? 1 : 0;
    }
    assertThat(nil).as("commands whose miss is a nil").isGreaterThan(10);
  }
}
