package io.memtrace.agent.instrumentation.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.KeyValueListOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceObjects;
import io.memtrace.agent.redis.AsyncClient.Framing;
import io.memtrace.agent.redis.RedisReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the consumer reads from real Lettuce command objects, without linking against them. */
class LettuceObjectsTest {

  private final LettuceObjects lettuce = new LettuceObjects();

  private List<String> words(Object command) {
    return lettuce.decoder().decode(command, null, new ArrayList<>()).stream()
        .map(b -> new String(b, StandardCharsets.UTF_8)).collect(Collectors.toList());
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldDecodeTheWordsACommandPutsOnTheWire() {
    Command<String, String, String> set = new Command<>(CommandType.SET, new StatusOutput<>(StringCodec.UTF8),
        new CommandArgs<>(StringCodec.UTF8).addKey("user:42").addValue("café").add("EX").add(60));

    assertThat(words(set)).containsExactly("SET", "user:42", "café", "EX", "60");
    assertThat(words(new Command<>(CommandType.PING, new StatusOutput<>(StringCodec.UTF8)))).containsExactly("PING");
  }

  @Test
  void shouldDecodeThroughWrappersWithAnyCodecAndAgainAndAgain() {
    Command<byte[], byte[], byte[]> get = new Command<>(CommandType.GET, new ValueOutput<>(ByteArrayCodec.INSTANCE),
        new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(new byte[] {'k', 0, 'x'}));
    AsyncCommand<byte[], byte[], byte[]> async = new AsyncCommand<>(get);

    assertThat(words(async)).containsExactly("GET", "k\u0000x");
    assertThat(words(get)).as("the buffer is reused").containsExactly("GET", "k\u0000x");
  }

  @Test
  void shouldDecodeALargeValueAndNothingForWhatIsNoCommand() {
    String large = "v".repeat(2 << 20);
    Command<String, String, String> set = new Command<>(CommandType.SET, new StatusOutput<>(StringCodec.UTF8),
        new CommandArgs<>(StringCodec.UTF8).addKey("big").addValue(large));

    assertThat(words(set)).containsExactly("SET", "big", large);
    assertThat(words(set)).as("after the large buffer was given up").hasSize(3);
    assertThat(words("not a command")).isEmpty();
    assertThat(words(null)).isEmpty();
  }

  @Test
  void shouldTellTheCommandsThatFrameATransaction() {
    assertThat(lettuce.framing(new Command<>(CommandType.MULTI, null))).isEqualTo(Framing.MULTI);
    assertThat(lettuce.framing(new AsyncCommand<>(new Command<>(CommandType.EXEC, null)))).isEqualTo(Framing.EXEC);
    assertThat(lettuce.framing(new Command<>(CommandType.DISCARD, null))).isEqualTo(Framing.DISCARD);
    assertThat(lettuce.framing(new Command<>(CommandType.GET, null))).isEqualTo(Framing.NONE);
    assertThat(lettuce.framing(new Object())).isEqualTo(Framing.NONE);
  }

  @Test
  void shouldReadTheReplyItsOutputKept() {
    ValueOutput<String, String> value = new ValueOutput<>(StringCodec.UTF8);
    value.set(bytes("Ada"));
    KeyValueListOutput<String, String> mget = new KeyValueListOutput<>(StringCodec.UTF8, new ArrayList<>(List.of("a", "b")));
    mget.multi(2); // as the decoder announces an array of two
    mget.set(bytes("one"));
    mget.set((ByteBuffer) null);

    assertThat(lettuce.reply(new Command<>(CommandType.GET, value))).isEqualTo("Ada");
    assertThat(lettuce.reply(new Command<>(CommandType.GET, new ValueOutput<>(StringCodec.UTF8)))).isNull();
    assertThat(lettuce.reply(new Command<>(CommandType.MGET, mget)))
        .isEqualTo(List.of(KeyValue.just("a", "one"), KeyValue.empty("b")));
    assertThat(lettuce.reply(new Command<>(CommandType.PING, null))).as("no output").isNull();
  }

  @Test
  void shouldSayAReplyStreamedToAReactiveSubscriberIsUnknown() {
    ValueListOutput<String, String> lrange = new ValueListOutput<>(StringCodec.UTF8);
    lrange.setSubscriber(new io.lettuce.core.output.StreamingOutput.Subscriber<String>() {
      @Override
      public void onNext(String item) {
      }
    });

    assertThat(lettuce.reply(new Command<>(CommandType.LRANGE, lrange))).isSameAs(RedisReply.UNKNOWN);
    assertThat(lettuce.reply(new Command<>(CommandType.LRANGE, new ValueListOutput<>(StringCodec.UTF8))))
        .as("kept in its list").isEqualTo(List.of());
  }

  @Test
  void shouldMakeAnErrorReplyTheExceptionLettuceHandsTheApplication() {
    ValueOutput<String, String> wrongType = new ValueOutput<>(StringCodec.UTF8);
    wrongType.setError("WRONGTYPE Operation against a key holding the wrong kind of value");
    ValueOutput<String, String> noScript = new ValueOutput<>(StringCodec.UTF8);
    noScript.setError("NOSCRIPT No matching script");

    Throwable error = lettuce.errorReply(new Command<>(CommandType.LPUSH, wrongType));

    assertThat(error).isInstanceOf(RedisCommandExecutionException.class)
        .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
    assertThat(error.getStackTrace()).isEmpty();
    assertThat(lettuce.errorReply(new Command<>(CommandType.EVALSHA, noScript))).isInstanceOf(RedisNoScriptException.class);
    assertThat(lettuce.errorReply(new Command<>(CommandType.GET, new ValueOutput<>(StringCodec.UTF8)))).isNull();
  }

  @Test
  void shouldGiveTheSameAddressObjectForAChannelAndNoneForWhatIsNoChannel() throws Exception {
    io.netty.channel.embedded.EmbeddedChannel channel = new io.netty.channel.embedded.EmbeddedChannel();

    assertThat(lettuce.address(channel)).as("an embedded channel has no internet address").isNull();
    assertThat(lettuce.address(new Object())).isNull();
    assertThat(lettuce.address(null)).isNull();
  }
}
