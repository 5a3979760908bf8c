package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redisson hooks: a start where a command is sent, its connection's own work as handshake, an
 * end at completion with the reply measured where it was read and the arguments copied before
 * Redisson releases them.
 */
class RedissonHooksTest {

  private final CommandRecordingSink sink = new CommandRecordingSink();
  private final Object connection = new Object();
  private final Object channel = new Object();

  @RegisterExtension
  final InstalledBridge bridge = new InstalledBridge(sink);

  @Test
  void shouldPublishTheStartWithTheSpanCurrentWhereItIsSent() {
    Object command = new Object();
    ThreadContext.current().currentSpanId = 7;

    RedissonHooks.sent(connection, channel, command, false);

    assertThat(sink.onlyPlainStart(connection, channel, command).parentSpanId).isEqualTo(7L);
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

  /**
   * Redisson's response timeout fails an attempt's promise itself and retries: the late reply, or
   * the connection's failure, still ends the attempt, with the timeout's failure; a promise
   * completed with a reply was ended then.
   */
  @Test
  void shouldEndAnAttemptRedissonGaveUpWithWhatItFailedItWith() {
    java.util.concurrent.CompletableFuture<Object> timedOut = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CancellationException cancelled = new java.util.concurrent.CancellationException();
    timedOut.completeExceptionally(cancelled);
    java.util.concurrent.CompletableFuture<Object> failed = new java.util.concurrent.CompletableFuture<>();
    failed.completeExceptionally(new IllegalStateException("WRONGTYPE"));
    java.util.concurrent.CompletableFuture<Object> timeout = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.TimeoutException late = new java.util.concurrent.TimeoutException();
    timeout.completeExceptionally(late);
    java.util.concurrent.CompletableFuture<Object> replied = java.util.concurrent.CompletableFuture.completedFuture("x");
    java.util.concurrent.CompletableFuture<Object> waiting = new java.util.concurrent.CompletableFuture<>();
    IllegalStateException moved = new IllegalStateException("MOVED");

    assertThat(RedissonHooks.answered(timedOut)).isFalse();
    assertThat(RedissonHooks.answered(replied)).isTrue();
    assertThat(RedissonHooks.answered(waiting)).isFalse();
    assertThat(RedissonHooks.failure(timedOut, null)).isSameAs(cancelled);
    assertThat(RedissonHooks.answered(failed)).as("failed where memtrace saw it: ended then").isTrue();
    assertThat(RedissonHooks.failure(timeout, moved)).isSameAs(late);
    assertThat(RedissonHooks.failure(waiting, moved)).isSameAs(moved);
    assertThat(RedissonHooks.failure(replied, null)).isNull();

    Object command = new Object();
    RedissonHooks.completing(command, RedissonHooks.answered(timedOut), RedissonHooks.failure(timedOut, null), "GET",
        null, new Object[0]);
    assertThat(sink.ends).singleElement().satisfies(e -> assertThat(e.error).isSameAs(cancelled));
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
