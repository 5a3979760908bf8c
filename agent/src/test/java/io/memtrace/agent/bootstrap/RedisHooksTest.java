package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.bootstrap.RecordingSink.Published;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisHooksTest {

  private final RecordingSink sink = new RecordingSink();
  /** A fresh connection per test: pending commands are kept per connection, JVM-wide. */
  private final Object connection = new Object();
  private final Object other = new Object();
  private final Object socket = new Object();
  @RegisterExtension
  final InstalledBridge bridge = new InstalledBridge(sink);

  /** Each test must leave the JVM-wide error count where it found it: hooks never fail. */
  @AfterEach
  void noInternalErrors() {
    assertThat(bridge.internalErrors()).as("hooks never fail: %s", Bridge.firstInternalError()).isZero();
  }

  private void send(Object command) {
    RedisHooks.sent(connection, socket, command, null, 1, null);
  }

  private void reply(Object reply) {
    RedisHooks.replied(connection, reply, null);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Nested
  class SingleCommands {

    @Test
    void shouldPublishOneCommandWhenReplyFollowsSend() {
      Object command = new Object();
      Object args = new byte[][] {bytes("key")};
      Object reply = bytes("value");

      RedisHooks.sent(connection, socket, command, args, 42, null);
      assertThat(sink.published).as("nothing until the reply is read").isEmpty();
      RedisHooks.replied(connection, reply, null);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.batch).isFalse();
        assertThat(p.command()).isSameAs(command);
        assertThat(p.arguments).isSameAs(args);
        assertThat(p.connection).isSameAs(connection);
        assertThat(p.socket).isSameAs(socket);
        assertThat(p.startNanos).isEqualTo(42);
        assertThat(p.reply).as("a bulk string is staged as its length").isNull();
        assertThat(p.replyLength).isEqualTo(5);
        assertThat(p.error).isNull();
        assertThat(p.handshake).isFalse();
      });
      assertThat(ThreadContext.current().redisCall.reply).as("the reply is not pinned").isNull();
    }

    @Test
    void shouldPublishErrorReplyWithItsCommand() {
      Object command = new Object();
      RuntimeException error = new RuntimeException("WRONGTYPE");

      send(command);
      RedisHooks.replied(connection, null, error);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.command()).isSameAs(command);
        assertThat(p.error).isSameAs(error);
      });
    }

    @Test
    void shouldPublishNothingAndCountNothingForReplyWithoutPendingSend() {
      send(new Object());
      reply("ok");

      reply("a reply to a command sent before memtrace started");
      RedisHooks.replied(other, "never sent on", null);

      assertThat(sink.published).hasSize(1);
      assertThat(sink.dropped).isEmpty();
    }

    @Test
    void shouldMatchRepliesToSendsInOrder() {
      Object first = new Object();
      Object second = new Object();

      send(first);
      send(second);
      reply("1");
      reply("2");

      assertThat(sink.published).extracting(Published::command).containsExactly(first, second);
      assertThat(sink.published).extracting(p -> p.reply).containsExactly("1", "2");
    }

    @Test
    void shouldPublishFailedSendAtOnceWithItsError() {
      Object command = new Object();
      IOException error = new IOException("broken pipe");

      RedisHooks.sent(connection, socket, command, null, 7, error);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.command()).isSameAs(command);
        assertThat(p.startNanos).isEqualTo(7);
        assertThat(p.error).isSameAs(error);
        assertThat(p.reply).isNull();
      });
    }

    @Test
    void shouldLeaveEarlierPendingCommandItsReplyWhenALaterSendFails() {
      Object pending = new Object();
      Object failed = new Object();

      send(pending);
      RedisHooks.sent(connection, socket, failed, null, 2, new IOException("broken pipe"));
      reply("ok");

      assertThat(sink.published).extracting(Published::command).containsExactly(failed, pending);
      assertThat(sink.published.get(1).reply).isEqualTo("ok");
    }

    @Test
    void shouldCountCommandsPastCapacityAsDroppedWhenAnsweredOneByOne() {
      int sends = PendingCommands.CAPACITY + 3;
      for (int i = 0; i < sends; i++) {
        send(new Object());
      }
      for (int i = 0; i < sends; i++) {
        reply("r" + i);
      }

      assertThat(sink.published).hasSize(PendingCommands.CAPACITY);
      assertThat(sink.published).extracting(p -> p.reply).startsWith("r0").endsWith("r15");
      assertThat(sink.droppedTotal()).isEqualTo(3);
    }
  }

  @Nested
  class PerConnection {

    @Test
    void shouldPairEachReplyWithItsOwnConnectionWhenConnectionsInterleaveOnOneThread() {
      Object get = new Object();
      Object set = new Object();

      RedisHooks.sent(connection, socket, get, null, 1, null);
      RedisHooks.sent(other, socket, set, null, 2, null);
      RedisHooks.replied(other, "OK", null);
      RedisHooks.replied(connection, "value", null);

      assertThat(sink.published).extracting(Published::command).containsExactly(set, get);
      assertThat(sink.published).extracting(p -> p.reply).containsExactly("OK", "value");
      assertThat(sink.published).extracting(p -> p.connection).containsExactly(other, connection);
      assertThat(sink.dropped).isEmpty();
    }

    /** {@code p = pooled.pipelined(); p.set; p.set; pooled.get("other"); p.sync();} */
    @Test
    void shouldKeepPipelineLeftOpenWhileTheThreadUsesAnotherConnection() {
      Object set1 = new Object();
      Object set2 = new Object();
      Object get = new Object();

      RedisHooks.sent(connection, socket, set1, null, 1, null);
      RedisHooks.sent(connection, socket, set2, null, 2, null);
      RedisHooks.sent(other, socket, get, null, 3, null);
      RedisHooks.replied(other, "v", null);
      JedisScopes.batchStarted();
      reply("OK");
      reply("OK");
      JedisScopes.batchEnded("sync", null);

      assertThat(sink.published).hasSize(2);
      assertThat(sink.published.get(0)).satisfies(p -> {
        assertThat(p.batch).isFalse();
        assertThat(p.command()).isSameAs(get);
        assertThat(p.reply).isEqualTo("v");
      });
      assertThat(sink.published.get(1)).satisfies(p -> {
        assertThat(p.batch).isTrue();
        assertThat(p.commands).containsExactly(set1, set2);
        assertThat(p.startNanos).as("from the first pipelined command").isEqualTo(1);
      });
      assertThat(sink.dropped).as("nothing was lost").isEmpty();
    }

    @Test
    void shouldPairReplyReadOnAnotherThreadWithTheCommandOfItsConnection() throws Exception {
      Object command = new Object();

      send(command);
      Thread reader = new Thread(() -> reply("from the reader"));
      reader.start();
      reader.join();

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.command()).isSameAs(command);
        assertThat(p.reply).isEqualTo("from the reader");
      });
    }

    @Test
    void shouldCountUnansweredCommandsOnceWhenTheConnectionCloses() {
      send(new Object());
      send(new Object());
      send(new Object());
      reply("first");

      RedisHooks.closed(connection);
      RedisHooks.closed(connection);
      reply("late: never paired");

      assertThat(sink.dropped).containsExactly(2L);
      assertThat(sink.published).hasSize(1);
    }

    /**
     * Jedis writes into a buffer and flushes before it reads: a flush that fails (a broken pipe, a TLS handshake
     * the client refuses) leaves every command still pending unwritten, and the caller gets that exception.
     */
    @Test
    void shouldEndEveryCommandAFailedFlushLeftUnwrittenWithItsError() {
      Object answered = new Object();
      Object set = new Object();
      Object get = new Object();
      IOException refused = new IOException("PKIX path building failed");
      send(answered);
      reply("OK");
      send(set);
      send(get);

      RedisHooks.unwritten(connection, refused);
      RedisHooks.closed(connection);

      assertThat(sink.published).extracting(Published::command).containsExactly(answered, set, get);
      assertThat(sink.published.subList(1, 3)).allSatisfy(p -> {
        assertThat(p.error).isSameAs(refused);
        assertThat(p.reply).isNull();
      });
      assertThat(sink.dropped).as("nothing left to lose when it closes").isEmpty();
    }

    @Test
    void shouldIgnoreAFlushThatSucceededOrHadNothingPending() {
      RedisHooks.unwritten(connection, null);
      RedisHooks.unwritten(other, new IOException("broken pipe"));
      send(new Object());
      RedisHooks.unwritten(connection, null);
      reply("OK");

      assertThat(sink.published).singleElement().satisfies(p -> assertThat(p.error).isNull());
      assertThat(sink.dropped).isEmpty();
    }
  }

  @Nested
  class PubSub {

    private final Object subscribe = List.of(bytes("SUBSCRIBE"), bytes("news"), bytes("sport"));
    private final Object unsubscribeAll = List.of(bytes("UNSUBSCRIBE"));

    private List<Object> confirmation(String kind, String channel, long count) {
      return List.of(bytes(kind), bytes(channel), count);
    }

    @Test
    void shouldAnswerSubscribeAtItsLastChannelAndIgnorePushedMessages() {
      Object ping = List.of(bytes("PING"));
      send(subscribe);
      send(ping);

      JedisScopes.pubSubLoop(true);
      reply(confirmation("subscribe", "news", 1));
      assertThat(sink.published).as("sport is not confirmed yet").isEmpty();
      reply(confirmation("subscribe", "sport", 2));
      reply(List.of(bytes("message"), bytes("news"), bytes("hello")));
      reply(List.of(bytes("pmessage"), bytes("n*"), bytes("news"), bytes("hello")));
      Object pong = List.of(bytes("pong"), bytes(""));
      reply(pong);
      JedisScopes.pubSubLoop(false);

      assertThat(sink.published).extracting(Published::command).containsExactly(subscribe, ping);
      assertThat(sink.published.get(1).reply).isSameAs(pong);
      assertThat(sink.dropped).isEmpty();
    }

    /**
     * The subscriber thread reads inside {@code subscribe()}, the main thread unsubscribes, then
     * reuses the connection: every later command keeps its own reply.
     */
    @Test
    void shouldKeepEveryLaterReplyInPlaceWhenPubSubIsStoppedFromAnotherThread() throws Exception {
      Thread subscriber = new Thread(() -> {
        send(subscribe);
        JedisScopes.pubSubLoop(true);
        reply(confirmation("subscribe", "news", 1));
        reply(confirmation("subscribe", "sport", 2));
        reply(List.of(bytes("message"), bytes("news"), bytes("hello")));
        // the main thread unsubscribes from everything: one confirmation per channel
        waitFor(() -> sink.published.size() == 1 && pending() == 1);
        reply(confirmation("unsubscribe", "news", 1));
        reply(confirmation("unsubscribe", "sport", 0));
        JedisScopes.pubSubLoop(false);
      });
      subscriber.start();
      waitFor(() -> sink.published.size() == 1);
      send(unsubscribeAll);
      subscriber.join();

      Object incr = new Object();
      Object getMiss = new Object();
      Object getHit = new Object();
      Object del = new Object();
      RuntimeException wrongType = new RuntimeException("ERR value is not an integer");
      send(incr);
      RedisHooks.replied(connection, null, wrongType);
      send(getMiss);
      reply(null);
      send(getHit);
      reply(bytes("v"));
      send(del);
      reply(1L);

      assertThat(sink.published).extracting(Published::command)
          .containsExactly(subscribe, unsubscribeAll, incr, getMiss, getHit, del);
      assertThat(sink.published.get(2).error).isSameAs(wrongType);
      assertThat(sink.published.get(3).reply).isNull();
      assertThat(sink.published.get(3).error).isNull();
      assertThat(sink.published.get(4).replyLength).isEqualTo(1);
      assertThat(sink.published.get(5).reply).isEqualTo(1L);
      assertThat(sink.dropped).isEmpty();
    }

    private long pending() {
      return RedisHooks.CONNECTIONS.find(connection).pending();
    }
  }

  @Nested
  class Handshake {

    @Test
    void shouldHideHandshakeCommandsByDefaultAndNeverCountThemAsDropped() {
      Object setInfo = new Object();
      Object get = new Object();

      JedisScopes.handshake(connection, true);
      send(setInfo);
      RedisHooks.replied(connection, null, new RuntimeException("ERR unknown subcommand 'SETINFO'"));
      JedisScopes.batchStarted(); // a batch never takes in a hidden one either
      send(new Object());
      reply("OK");
      JedisScopes.batchEnded("sync", null);
      JedisScopes.handshake(connection, false);
      send(get);
      reply("v");

      assertThat(sink.published).extracting(Published::command).containsExactly(setInfo, get);
      assertThat(sink.published).extracting(p -> p.hidden).containsExactly(true, false);
      assertThat(sink.dropped).isEmpty();
    }

    @Test
    void shouldNeitherShowNorCountHandshakeCommandsAFailedFlushLeftUnwritten() {
      JedisScopes.handshake(connection, true);
      send(new Object());
      send(new Object());
      RedisHooks.unwritten(connection, new IOException("PKIX path building failed"));
      JedisScopes.handshake(connection, false);
      RedisHooks.closed(connection);

      assertThat(sink.published).extracting(p -> p.hidden).containsExactly(true, true);
      assertThat(sink.dropped).isEmpty();
    }

    /**
     * Jedis's set-up writes its {@code CLIENT SETINFO}s together, reads their replies, and disconnects when a read
     * fails: a server that died mid-handshake (JedisSentinelIT's crashed primary) leaves the second one pending as
     * the connection closes. Hidden, it owes no span, so it is no loss; shown, it is one.
     */
    @Test
    void shouldNotCountAHiddenHandshakeCommandAClosedConnectionGaveUpAsDropped() {
      for (boolean shown : new boolean[] {false, true}) {
        RedisHooks.recordHandshakes(shown);
        Object conn = new Object();
        JedisScopes.handshake(conn, true);
        RedisHooks.sent(conn, null, new Object(), null, System.nanoTime(), null);
        RedisHooks.sent(conn, null, new Object(), null, System.nanoTime(), null);
        RedisHooks.replied(conn, null, new IllegalStateException("Unexpected end of stream."));
        RedisHooks.closed(conn);
        JedisScopes.handshake(conn, false);
      }
      RedisHooks.recordHandshakes(false);

      assertThat(sink.published).extracting(p -> p.hidden).as("the failed read ends the first, either way")
          .containsExactly(true, false);
      assertThat(sink.dropped).as("only the shown handshake command given up is a loss").containsExactly(1L);
    }

    @Test
    void shouldPublishHandshakeCommandsMarkedAsSuchWhenAsked() {
      RedisHooks.recordHandshakes(true);
      Object hello = new Object();
      RuntimeException rejected = new RuntimeException("ERR unknown subcommand 'SETINFO'");

      JedisScopes.handshake(connection, true);
      JedisScopes.handshake(connection, true); // nested set-up methods
      send(hello);
      JedisScopes.handshake(connection, false);
      RedisHooks.replied(connection, null, rejected);
      JedisScopes.handshake(connection, false);
      send(new Object());
      reply("v");

      assertThat(sink.published).hasSize(2);
      assertThat(sink.published.get(0)).satisfies(p -> {
        assertThat(p.command()).isSameAs(hello);
        assertThat(p.handshake).isTrue();
        assertThat(p.hidden).isFalse();
        assertThat(p.error).isSameAs(rejected);
      });
      assertThat(sink.published.get(1).handshake).isFalse();
    }
  }

  @Nested
  class Batches {

    @Test
    void shouldPublishOneBatchForCommandsSentAndAnsweredInsideSync() {
      Object[] commands = {new Object(), new Object(), new Object()};

      JedisScopes.batchStarted();
      for (Object command : commands) {
        send(command);
      }
      for (int i = 0; i < commands.length; i++) {
        reply("r" + i);
      }
      assertThat(sink.published).as("replies inside a batch publish nothing").isEmpty();
      JedisScopes.batchEnded("sync", null);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.batch).isTrue();
        assertThat(p.commands).containsExactly(commands);
        assertThat(p.method).isEqualTo("sync");
        assertThat(p.unrecorded).isZero();
        assertThat(p.connection).isSameAs(connection);
      });
      assertThat(ThreadContext.current().redisBatch.isEmpty()).isTrue();
    }

    @Test
    void shouldPublishOnceForNestedBatchMethods() {
      JedisScopes.batchStarted();
      JedisScopes.batchStarted();
      send(new Object());
      send(new Object());
      reply("1");
      reply("2");
      JedisScopes.batchEnded("exec", null);
      assertThat(sink.published).as("the inner end publishes nothing").isEmpty();
      JedisScopes.batchEnded("sync", null);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.size()).isEqualTo(2);
        assertThat(p.method).isEqualTo("sync");
      });
      assertThat(ThreadContext.current().redisBatch.depth).isZero();
    }

    @Test
    void shouldPublishNothingForBatchThatReadNothing() {
      send(new Object());
      JedisScopes.batchStarted();
      JedisScopes.batchEnded("sync", null);

      assertThat(sink.published).isEmpty();
      reply("answered after the empty sync");
      assertThat(sink.published).as("the pending command kept its place").hasSize(1);
    }

    @Test
    void shouldIgnoreBatchEndWithoutStart() {
      send(new Object());

      JedisScopes.batchEnded("sync", null);
      reply("ok");

      assertThat(sink.published).singleElement().satisfies(p -> assertThat(p.batch).isFalse());
      assertThat(ThreadContext.current().redisBatch.depth).isZero();
    }

    @Test
    void shouldRecordSixteenAndCountTheRestOfALongPipeline() {
      int sends = RedisBatch.CAPACITY + 5;
      for (int i = 0; i < sends; i++) {
        send(new Object());
      }
      JedisScopes.batchStarted();
      for (int i = 0; i < sends; i++) {
        reply("r" + i);
      }
      JedisScopes.batchEnded("sync", null);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.commands).hasSize(RedisBatch.CAPACITY);
        assertThat(p.unrecorded).isEqualTo(5);
      });
      assertThat(sink.dropped).as("counted in the batch, not lost").isEmpty();
    }

    @Test
    void shouldKeepFailedSendInsideBatchForTheBatchSpan() {
      IOException broken = new IOException("broken");
      JedisScopes.batchStarted();
      RedisHooks.sent(connection, socket, new Object(), null, 1, broken);

      assertThat(sink.published).isEmpty();

      JedisScopes.batchEnded("sync", null);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.size()).isOne();
        assertThat(p.batchErrors).isOne();
        assertThat(p.error).isSameAs(broken);
      });
    }

    /** Jedis 3's {@code multi()} reads the MULTI reply itself, long before {@code exec()}. */
    @Test
    void shouldPutJedis3sAnsweredMultiIntoTheTransactionThatExecEnds() {
      Object multi = new Object();
      Object set = new Object();
      Object exec = new Object();

      JedisScopes.transactionOpening(true);
      RedisHooks.sent(connection, socket, multi, null, 5, null);
      reply("OK");
      JedisScopes.transactionOpening(false);
      send(set);
      RedisHooks.sent(other, socket, new Object(), null, 6, null);
      RedisHooks.replied(other, "another connection meanwhile", null);
      JedisScopes.batchStarted();
      reply("QUEUED");
      send(exec);
      reply(List.of("OK"));
      JedisScopes.batchEnded("exec", null);

      assertThat(sink.published).hasSize(2);
      assertThat(sink.published.get(1)).satisfies(p -> {
        assertThat(p.commands).containsExactly(multi, set, exec);
        assertThat(p.startNanos).as("from the MULTI").isEqualTo(5);
      });
      assertThat(sink.dropped).isEmpty();
    }

    @Test
    void shouldCountAnOpenedTransactionAsDroppedWhenItsConnectionClosesFirst() {
      JedisScopes.transactionOpening(true);
      send(new Object());
      reply("OK");
      JedisScopes.transactionOpening(false);

      RedisHooks.closed(connection);

      assertThat(sink.published).isEmpty();
      assertThat(sink.dropped).containsExactly(1L);
    }

    @Test
    void shouldCarryFirstErrorReplyAndErrorCountIntoBatchUnlessSyncThrew() {
      RuntimeException first = new RuntimeException("first");
      RuntimeException second = new RuntimeException("second");
      RuntimeException thrown = new RuntimeException("sync failed");

      for (int round = 0; round < 2; round++) {
        send(new Object());
        send(new Object());
        send(new Object());
        JedisScopes.batchStarted();
        RedisHooks.replied(connection, null, first);
        reply("ok");
        RedisHooks.replied(connection, null, second);
        JedisScopes.batchEnded("sync", round == 0 ? null : thrown);
      }

      assertThat(sink.published).extracting(p -> p.batchErrors).containsExactly(2, 2);
      assertThat(sink.published).extracting(p -> p.error).containsExactly(first, thrown);
    }
  }

  @Nested
  class Switches {

    @Test
    void shouldDoNothingWhenRedisTracingIsOff() {
      Bridge.install(sink, false, false);

      RedisHooks.sent(connection, socket, new Object(), null, 1, new IOException("x"));
      send(new Object());
      reply("ok");
      JedisScopes.batchStarted();
      JedisScopes.batchEnded("sync", null);
      RedisHooks.closed(connection);

      assertThat(sink.published).isEmpty();
      assertThat(sink.dropped).isEmpty();
      assertThat(RedisHooks.CONNECTIONS.find(connection)).as("nothing kept").isNull();
      assertThat(ThreadContext.current().redisBatch.depth).isZero();
    }

    @Test
    void shouldDoNothingAfterUninstall() {
      Bridge.uninstall();

      send(new Object());
      reply("ok");

      assertThat(sink.published).isEmpty();
      assertThat(RedisHooks.CONNECTIONS.find(connection)).isNull();
    }

    @Test
    void shouldNotCountInternalErrorsWithoutInjectedFailure() {
      assertThat(System.getProperty("memtrace.test.inject-failure")).isNull();
      assertThat(Bridge.INJECT_FAILURE).isFalse();

      send(new Object());
      reply("ok");
      JedisScopes.batchStarted();
      send(new Object());
      RedisHooks.replied(connection, null, new RuntimeException("ERR"));
      JedisScopes.batchEnded("sync", null);
      reply("nothing pending");

      assertThat(sink.published).hasSize(2);
      assertThat(bridge.internalErrors()).isZero();
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting");
      }
      Thread.onSpinWait();
    }
  }
}
