package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.redis.AsyncClient.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.redisson.client.ChannelName;
import org.redisson.client.RedisException;
import org.redisson.client.RedisMovedException;
import org.redisson.misc.RedisURI;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.RedisCommand;

/** What the consumer reads of Redisson's own objects (the real classes of Redisson 3.52). */
class RedissonObjectsTest {

  private final RedissonObjects objects = new RedissonObjects();

  @Test
  void shouldOwnRedissonsCommandsOnly() {
    assertThat(objects.owns(command("GET", "k"))).isTrue();
    assertThat(objects.owns("GET")).isFalse();
    assertThat(objects.owns(new Object())).isFalse();
  }

  @Test
  void shouldTellATransactionsFramingByTheCommandsName() {
    assertThat(objects.framing(command("MULTI"))).isEqualTo(Framing.MULTI);
    assertThat(objects.framing(command("EXEC"))).isEqualTo(Framing.EXEC);
    assertThat(objects.framing(command("DISCARD"))).isEqualTo(Framing.DISCARD);
    assertThat(objects.framing(command("SET", "k", "v"))).isEqualTo(Framing.NONE);
    assertThat(objects.framing(new Object())).isEqualTo(Framing.NONE);
  }

  @Test
  void shouldReadTheCopyTheCompletionTookAsRedissonsEncoderWritesIt() {
    Object[] sent = {"CLIENT", "SETNAME", "key", 42L, new byte[] {1, 2}, null};

    assertThat(words(command("CLIENT"), sent)).containsExactly("CLIENT", "SETNAME", "key", "42", "\u0001\u0002", "");
  }

  @Test
  void shouldReadACommandWithoutACopyFromItselfWithItsBuffersAsEmpty() {
    ByteBuf value = Unpooled.copiedBuffer("secret", StandardCharsets.UTF_8);
    CommandData<?, ?> command = command("PUBLISH", new ChannelName("news"), value);

    assertThat(words(command, null)).containsExactly("PUBLISH", "news", "");
    value.release();
  }

  @Test
  void shouldShowOnlyWhatRedisSaidOfAnError() {
    RedisException error = new RedisException("WRONGTYPE Operation against a key holding the wrong kind of value. "
        + "channel: [id: 0x1, L:/127.0.0.1:1 - R:/127.0.0.1:2] command: (RPUSH), params: [k, secret value]");

    Throwable shown = objects.shown(error, null);

    assertThat(shown).isExactlyInstanceOf(RedisException.class)
        .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
    assertThat(shown.getStackTrace()).isEqualTo(error.getStackTrace());
    RuntimeException plain = new RuntimeException("Connection closed");
    assertThat(objects.shown(plain, null)).isSameAs(plain);
    assertThat(RedissonObjects.detailsAt("Can't write command: (SET), params: [a]")).isEqualTo("Can't write ".length());
  }

  @Test
  void shouldStandInWithAPlainExceptionForOneWithoutAMessageConstructor() {
    Throwable shown = objects.shown(new NoMessage("ERR boom. channel: [x] command: (GET)"), null);

    assertThat(shown).isExactlyInstanceOf(RuntimeException.class).hasMessage("ERR boom");
  }

  /**
   * A redirection: Redisson's exception has no message, so the span takes Redis's words from the
   * reply measured on the wire, in the nearest class of Redisson's that takes a message.
   */
  @Test
  void shouldShowARedirectionWithRedisOwnWords() {
    RedisMovedException moved = new RedisMovedException(3999, new RedisURI("redis://127.0.0.1:7002"));
    Object reply = io.memtrace.agent.bootstrap.RespReplies.measure(
        java.nio.ByteBuffer.wrap("-MOVED 3999 127.0.0.1:7002\r\n".getBytes(StandardCharsets.US_ASCII)));

    Throwable shown = objects.shown(moved, reply);

    assertThat(shown).isExactlyInstanceOf(RedisException.class).hasMessage("MOVED 3999 127.0.0.1:7002");
    assertThat(objects.shown(moved, null)).as("nothing better to say").isSameAs(moved);
  }

  /** An exception class that cannot be made again from a message alone (nor can it be seen to have one). */
  static final class NoMessage extends RuntimeException {
    NoMessage(String message) {
      super(message);
    }
  }

  private List<String> words(Object command, Object[] sent) {
    List<String> words = new ArrayList<>();
    for (byte[] word : objects.decoder().decode(command, sent, new ArrayList<>())) {
      words.add(new String(word, StandardCharsets.UTF_8));
    }
    return words;
  }

  private static CommandData<?, ?> command(String name, Object... params) {
    return new CommandData<>(new CompletableFuture<>(), StringCodec.INSTANCE, new RedisCommand<>(name), params);
  }
}
