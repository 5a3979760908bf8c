package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What memtrace says when an application loads a Redis client, by the classes its version has. */
class RedisClientNoticesTest {

  private static final String PROTOCOL_VERSION = "io.lettuce.core.protocol.ProtocolVersion"; // added in 6.0
  private static final String UTF8_CODEC = "io.lettuce.core.codec.Utf8StringCodec"; // removed in 7.0

  @Test
  void shouldSayLettuce6IsTraced() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(PROTOCOL_VERSION, UTF8_CODEC)::contains))
        .startsWith("Lettuce 6.x found: its sync, async and reactive commands are traced");
  }

  @Test
  void shouldSayLettuce5AndLettuce7AreNotTraced() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(UTF8_CODEC)::contains))
        .startsWith("Lettuce 5.x or older found: memtrace does not trace its Redis commands");
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(PROTOCOL_VERSION)::contains))
        .startsWith("Lettuce 7 or newer found: memtrace does not trace its Redis commands");
  }

  @Test
  void shouldSayRedissonIsNotTracedAndNothingOfOtherClasses() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.REDISSON, name -> false))
        .startsWith("Redisson found: memtrace does not trace its Redis commands");
    assertThat(RedisClientNotices.notice("io.lettuce.core.RedisClient", name -> true)).isNull();
  }
}
