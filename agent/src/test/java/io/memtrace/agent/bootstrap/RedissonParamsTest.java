package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a Redisson command was sent with, copied before Redisson releases its buffers. */
class RedissonParamsTest {

  @Test
  void shouldKeepImmutableParametersAndCopyBuffersFromTheirReaderIndex() {
    ByteBuf value = Unpooled.copiedBuffer("xxvalue", StandardCharsets.UTF_8);
    value.readerIndex(2);
    byte[] raw = {1, 2};

    Object[] copy = RedissonParams.snapshot("HSET", null, new Object[] {"key", 42L, raw, value});
    value.release();

    assertThat(copy).containsExactly("HSET", null, "key", 42L, raw, "value".getBytes(StandardCharsets.UTF_8));
    assertThat(value.refCnt()).as("its reference count untouched by the copy").isZero();
  }

  @Test
  void shouldStandInForABufferReleasedAlready() {
    ByteBuf released = Unpooled.buffer(4).writeInt(7);
    released.release();

    Object[] copy = RedissonParams.snapshot("SET", "SUB", new Object[] {released, null});

    assertThat(copy).containsExactly("SET", "SUB", RedissonParams.UNREADABLE, null);
  }

  @Test
  void shouldCopyNoParametersOfACommandWithout() {
    assertThat(RedissonParams.snapshot("PING", null, null)).containsExactly("PING", null);
  }
}
