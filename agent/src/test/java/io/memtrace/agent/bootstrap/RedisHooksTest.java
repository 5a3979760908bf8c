package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.bootstrap.RecordingSink.Published;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RedisHooksTest {

  private final RecordingSink sink = new RecordingSink();
  private final Object connection = new Object();
  private final Object socket = new Object();
  /** The error count is global to the JVM; each test must leave it where it found it. */
  private long internalErrorsBefore;

  @BeforeEach
  void install() {
    internalErrorsBefore = Bridge.internalErrors();
    resetCurrentContext();
    Bridge.install(sink, true, false);
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
    resetCurrentContext();
    assertThat(Bridge.internalErrors() - internalErrorsBefore)
        .as("hooks never fail: %s", Bridge.firstInternalError()).isZero();
  }

  /** The context is per thread and outlives a test: start every test from a fresh one. */
  private static void resetCurrentContext() {
    ThreadContext context = ThreadContext.current();
    context.batchDepth = 0;
    context.unstage();
    context.clearQueue();
  }

  private static ThreadContext context() {
    return ThreadContext.current();
  }

  private void send(Object command) {
    RedisHooks.sent(connection, socket, command, null, 1, null);
  }

  private void reply(Object reply) {
    RedisHooks.replied(connection, reply, null);
  }

  @Nested
  class SingleCommands {

    @Test
    void shouldPublishOneCommandWhenReplyFollowsSend() {
      Object command = new Object();
      Object args = new byte[][] {"GET".getBytes()};
      Object reply = "value".getBytes();

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
        assertThat(p.reply).isSameAs(reply);
        assertThat(p.error).isNull();
      });
      assertThat(context().queued()).isZero();
      assertThat(context().stagedReply()).as("the reply is not pinned").isNull();
    }

    @Test
    void shouldPublishErrorReply() {
      Object command = new Object();
      RuntimeException error = new RuntimeException("WRONGTYPE");

      send(command);
      RedisHooks.replied(connection, null, error);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.command()).isSameAs(command);
        assertThat(p.error).isSameAs(error);
      });
      assertThat(context().stagedError()).isNull();
    }

    @Test
    void shouldPublishNothingForReplyWithoutPendingSend() {
      reply("pubsub message".getBytes());

      assertThat(sink.published).isEmpty();
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
    void shouldPublishFailedSendImmediatelyWithItsError() {
      Object command = new Object();
      IOException error = new IOException("broken pipe");

      RedisHooks.sent(connection, socket, command, null, 7, error);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.batch).isFalse();
        assertThat(p.command()).isSameAs(command);
        assertThat(p.startNanos).isEqualTo(7);
        assertThat(p.error).isSameAs(error);
        assertThat(p.reply).isNull();
      });
      assertThat(context().queued()).isZero();
    }

    @Test
    void shouldPublishFailedSendAheadOfEarlierPendingCommand() {
      Object pending = new Object();
      Object failed = new Object();
      IOException error = new IOException("broken pipe");

      send(pending);
      RedisHooks.sent(connection, socket, failed, null, 2, error);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.command()).isSameAs(failed);
        assertThat(p.error).isSameAs(error);
      });
      assertThat(context().queued()).isOne();
      assertThat(context().commandAt(0)).isSameAs(pending);

      reply("ok");

      assertThat(sink.published).extracting(Published::command).containsExactly(failed, pending);
    }

    @Test
    void shouldCountOverflowedSendsAndConsumeTheirReplies() {
      int sends = ThreadContext.QUEUE_CAPACITY + 3;
      for (int i = 0; i < sends; i++) {
        send(new Object());
      }
      assertThat(context().queued()).isEqualTo(ThreadContext.QUEUE_CAPACITY);
      assertThat(context().overflow()).isEqualTo(3);

      for (int i = 0; i < sends; i++) {
        reply("r" + i);
      }

      assertThat(sink.published).hasSize(ThreadContext.QUEUE_CAPACITY);
      assertThat(context().queued()).isZero();
      assertThat(context().overflow()).isZero();
    }

    @Test
    void shouldNotBlameQueuedCommandForOverflowedSendThatFailed() {
      Object get = new Object(); // Jedis 3 passes the same Protocol.Command constant every time
      for (int i = 0; i < ThreadContext.QUEUE_CAPACITY; i++) {
        RedisHooks.sent(connection, socket, get, "args" + i, i, null);
      }

      RedisHooks.sent(connection, socket, get, "args-failed", 99, new IOException("broken pipe"));

      assertThat(sink.published).noneMatch(p -> "args15".equals(p.arguments));
      assertThat(context().queued()).isEqualTo(ThreadContext.QUEUE_CAPACITY);
    }

    @Test
    void shouldDiscardAndCountStaleEntriesOfOtherConnection() {
      Object unsynced = new Object();
      Object other = new Object();
      Object command = new Object();

      // a pipeline on another connection sent two commands and was never synced
      RedisHooks.sent(unsynced, socket, new Object(), null, 1, null);
      RedisHooks.sent(unsynced, socket, new Object(), null, 2, null);
      RedisHooks.sent(other, socket, command, null, 3, null);
      RedisHooks.replied(other, "ok", null);

      assertThat(sink.dropped).containsExactly(2L);
      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.command()).isSameAs(command);
        assertThat(p.connection).isSameAs(other);
        assertThat(p.reply).isEqualTo("ok");
      });
      assertThat(context().queued()).isZero();
    }
  }

  @Nested
  class Batches {

    @Test
    void shouldPublishOneBatchForSendsInsideSync() {
      Object[] commands = {new Object(), new Object(), new Object()};

      RedisHooks.batchStarted();
      for (Object command : commands) {
        send(command);
      }
      for (int i = 0; i < commands.length; i++) {
        reply("r" + i);
      }
      assertThat(sink.published).as("replies inside a batch publish nothing").isEmpty();
      RedisHooks.batchEnded("sync", null);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.batch).isTrue();
        assertThat(p.queued).isEqualTo(3);
        assertThat(p.commands).containsExactly(commands);
        assertThat(p.method).isEqualTo("sync");
        assertThat(p.overflow).isZero();
        assertThat(p.lastCommand).isSameAs(commands[2]);
      });
      assertThat(context().queued()).isZero();
      assertThat(context().overflow()).isZero();
      assertThat(context().lastCommand()).isNull();
      assertThat(context().stagedMethod()).isNull();
    }

    @Test
    void shouldPublishPipelinedSendsWhenSyncEnds() {
      Object first = new Object();
      Object second = new Object();

      send(first);
      send(second);
      RedisHooks.batchStarted();
      reply("1");
      reply("2");
      RedisHooks.batchEnded("sync", null);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.batch).isTrue();
        assertThat(p.commands).containsExactly(first, second);
      });
      assertThat(context().queued()).isZero();
    }

    @Test
    void shouldPublishOnceForNestedBatches() {
      RedisHooks.batchStarted();
      RedisHooks.batchStarted();
      send(new Object());
      send(new Object());
      RedisHooks.batchEnded("exec", null);
      assertThat(sink.published).as("the inner end publishes nothing").isEmpty();
      RedisHooks.batchEnded("sync", null);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.queued).isEqualTo(2);
        assertThat(p.method).isEqualTo("sync");
      });
      assertThat(context().batchDepth).isZero();
    }

    @Test
    void shouldPublishNothingForEmptyBatch() {
      RedisHooks.batchStarted();
      RedisHooks.batchEnded("sync", null);

      assertThat(sink.published).isEmpty();
    }

    @Test
    void shouldIgnoreBatchEndWithoutStart() {
      send(new Object());

      RedisHooks.batchEnded("sync", null);

      assertThat(sink.published).isEmpty();
      assertThat(context().queued()).as("the pending command is kept").isOne();
      assertThat(context().batchDepth).isZero();
    }

    @Test
    void shouldRecordSixteenAndCountOverflowInBatch() {
      int sends = ThreadContext.QUEUE_CAPACITY + 5;
      Object last = null;

      RedisHooks.batchStarted();
      for (int i = 0; i < sends; i++) {
        last = new Object();
        send(last);
      }
      RedisHooks.batchEnded("sync", null);

      Object expectedLast = last;
      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.queued).isEqualTo(16);
        assertThat(p.overflow).isEqualTo(5);
        assertThat(p.lastCommand).as("kept although it overflowed").isSameAs(expectedLast);
      });
      assertThat(context().queued()).isZero();
      assertThat(context().overflow()).isZero();
    }

    @Test
    void shouldKeepFailedSendInsideBatchForTheBatchSpan() {
      RedisHooks.batchStarted();
      RedisHooks.sent(connection, socket, new Object(), null, 1, new IOException("broken"));

      assertThat(sink.published).isEmpty();

      RedisHooks.batchEnded("sync", null);

      assertThat(sink.published).singleElement().satisfies(p -> assertThat(p.queued).isOne());
    }

    @Test
    void shouldCarryFirstErrorReplyAndErrorCountIntoBatch() {
      RuntimeException first = new RuntimeException("first");
      RuntimeException second = new RuntimeException("second");
      RuntimeException thrown = new RuntimeException("sync failed");

      send(new Object());
      send(new Object());
      send(new Object());
      RedisHooks.batchStarted();
      RedisHooks.replied(connection, null, first);
      reply("ok");
      RedisHooks.replied(connection, null, second);
      RedisHooks.batchEnded("sync", thrown);

      assertThat(sink.published).singleElement().satisfies(p -> {
        assertThat(p.batchErrors).isEqualTo(2);
        assertThat(p.batchFirstError).isSameAs(first);
        assertThat(p.error).isSameAs(thrown);
      });
      assertThat(context().batchErrors()).isZero();
      assertThat(context().batchFirstError()).isNull();
      assertThat(context().stagedError()).isNull();
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
      RedisHooks.batchStarted();
      RedisHooks.batchEnded("sync", null);

      assertThat(sink.published).isEmpty();
      assertThat(context().queued()).isZero();
      assertThat(context().batchDepth).isZero();
    }

    @Test
    void shouldDoNothingAfterUninstall() {
      Bridge.uninstall();

      send(new Object());
      reply("ok");

      assertThat(sink.published).isEmpty();
      assertThat(context().queued()).isZero();
    }

    @Test
    void shouldNotCountInternalErrorsWithoutInjectedFailure() {
      assertThat(System.getProperty("memtrace.test.inject-failure")).isNull();
      assertThat(Bridge.INJECT_FAILURE).isFalse();

      send(new Object());
      reply("ok");
      RedisHooks.batchStarted();
      send(new Object());
      RedisHooks.replied(connection, null, new RuntimeException("ERR"));
      RedisHooks.batchEnded("sync", null);
      reply("nothing pending");

      assertThat(sink.published).hasSize(2);
      assertThat(Bridge.internalErrors() - internalErrorsBefore).isZero();
    }
  }
}
