package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redisson hooks: a start where a command is sent, its connection's own work as handshake, an
 * end at completion with the reply measured where it was read and the arguments copied before
 * Redisson releases them.
 */
class RedissonHooksTest {

  private final CommandRecordingSink sink = new CommandRecordingSink();
  private final Object connection = new Object();
  private final Object channel = new Object();

  @BeforeEach
  void install() {
    RedisHooks.recordHandshakes(false);
    Bridge.install(sink, true, false);
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
    ThreadContext context = ThreadContext.current();
    context.redissonSetUp = 0;
    context.measuredCommand = null;
    context.measuredReply = null;
    context.currentSpanId = 0;
  }

  @Test
  void shouldPublishTheStartWithTheSpanCurrentWhereItIsSent() {
    Object command = new Object();
    ThreadContext.current().currentSpanId = 7;

    RedissonHooks.sent(connection, channel, command, false);

    assertThat(sink.starts).singleElement().satisfies(s -> {
      assertThat(s.connection).isSameAs(connection);
      assertThat(s.channel).isSameAs(channel);
      assertThat(s.command).isSameAs(command);
      assertThat(s.marker).isNull();
      assertThat(s.handshake).isFalse();
      assertThat(s.parentSpanId).isEqualTo(7L);
    });
  }

  @Test
  void shouldMarkWhatTheConnectionSendsForItselfAsHandshake() {
    RedissonHooks.settingUp();
    RedissonHooks.sent(connection, channel, new Object(), false);
    RedissonHooks.setUp();
    RedissonHooks.sent(connection, channel, new Object(), false);
    RedissonHooks.setUp(); // unbalanced: never below zero

    assertThat(sink.starts).extracting(s -> s.handshake).containsExactly(true, false);
    assertThat(ThreadContext.current().redissonSetUp).isZero();
  }

  @Test
  void shouldQueueEveryCommandOfAnAtomicBatchButThoseRedissonAnswersItself() {
    for (String name : new String[] {"MULTI", "SET", "INCR", "EXEC", "WAIT"}) {
      RedissonHooks.sentInBatch(connection, channel, name, true, name);
    }
    RedissonHooks.sentInBatch(connection, channel, "GET", false, "GET");

    assertThat(sink.starts).extracting(s -> s.marker == LettuceHooks.IN_TRANSACTION)
        .containsExactly(false, true, true, false, false, false);
  }

  @Test
  void shouldEndWithTheReplyMeasuredForThatCommandAndACopyOfItsArguments() {
    Object command = new Object();
    ByteBuf value = Unpooled.copiedBuffer("value", StandardCharsets.UTF_8);

    RedissonHooks.replyRead(command, false, ByteBuffer.wrap("$5\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII)));
    RedissonHooks.completing(command, false, null, "SET", null, new Object[] {"key", value});
    value.release();

    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).isSameAs(command);
      assertThat(e.error).isNull();
      assertThat(((MeasuredReply) e.reply).bytes()).isEqualTo(5);
      assertThat((Object[]) e.arguments).containsExactly("SET", null, "key", "value".getBytes(StandardCharsets.UTF_8));
    });
    assertThat(ThreadContext.current().measuredCommand).as("nothing kept after").isNull();
  }

  @Test
  void shouldNotLendOneCommandsReplyToAnother() {
    Object measured = new Object();
    Object other = new Object();

    RedissonHooks.replyRead(measured, false, ByteBuffer.wrap(":1\r\n".getBytes(StandardCharsets.US_ASCII)));
    RedissonHooks.completing(other, false, null, "GET", null, new Object[0]);

    assertThat(sink.ends).singleElement().satisfies(e -> assertThat(e.reply).isNull());
  }

  @Test
  void shouldPublishNothingForACommandCompletedAlready() {
    Object command = new Object();
    RedissonHooks.replyRead(command, true, ByteBuffer.wrap(":1\r\n".getBytes(StandardCharsets.US_ASCII)));
    RedissonHooks.completing(command, true, new IllegalStateException("late"), "GET", null, new Object[0]);

    assertThat(sink.ends).isEmpty();
    assertThat(ThreadContext.current().measuredCommand).isNull();
  }

  @Test
  void shouldEndWithTheErrorAndCountALostStartOnlyWhenItOwedASpan() {
    Object command = new Object();
    RuntimeException error = new RuntimeException("WRONGTYPE Operation against a key");
    RedissonHooks.completing(command, false, error, "RPUSH", null, new Object[] {"k", "v"});
    assertThat(sink.ends.get(0).error).isSameAs(error);

    sink.full = true;
    RedissonHooks.sent(connection, channel, new Object(), false);
    RedissonHooks.sentInBatch(connection, channel, new Object(), true, "SET");
    RedissonHooks.settingUp();
    RedissonHooks.sent(connection, channel, new Object(), false);
    RedissonHooks.setUp();
    assertThat(sink.dropped).as("a queued command and hidden connection work owe no span").isEqualTo(1);
  }

  @Test
  void shouldKeepEverythingFromTheApplicationWhenTheSinkFails() {
    sink.failure = new IllegalStateException("broken sink");
    long before = Bridge.internalErrors();

    RedissonHooks.sent(connection, channel, new Object(), false);

    assertThat(Bridge.internalErrors()).isEqualTo(before + 1);
    assertThat(ThreadContext.current().redisCall.command).as("staging cleared").isNull();
  }
}
