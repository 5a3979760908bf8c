package io.memtrace.agent.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.EventSink;
import io.memtrace.agent.bootstrap.RedisBatch;
import io.memtrace.agent.bootstrap.RedisCall;
import io.memtrace.agent.bootstrap.RedisHooks;
import io.memtrace.agent.bootstrap.ThreadContext;
import io.memtrace.agent.instrumentation.jedis.common.BatchAdvice;
import io.memtrace.agent.instrumentation.jedis.common.DisconnectAdvice;
import io.memtrace.agent.instrumentation.jedis.common.FlushAdvice;
import io.memtrace.agent.instrumentation.jedis.common.HandshakeAdvice;
import io.memtrace.agent.instrumentation.jedis.common.PubSubLoopAdvice;
import io.memtrace.agent.instrumentation.jedis.common.ReadReplyAdvice;
import io.memtrace.agent.instrumentation.jedis.v3_0.ClientSetupAdvice;
import io.memtrace.agent.instrumentation.jedis.v3_0.MultiAdvice;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jedis advice, inlined with Byte Buddy into stand-ins shaped like Jedis's classes and loaded
 * in a class loader of their own: no agent, no Redis. It must hand the hooks the right objects and
 * never change what the advised method returns or throws.
 */
class JedisAdviceTest {

  /** What the hooks published, copied as the ring's translators copy it. */
  private static final class Sink extends EventSink.Ignoring {
    final List<Object[]> commands = Collections.synchronizedList(new ArrayList<>());
    final List<List<Object>> batches = Collections.synchronizedList(new ArrayList<>());
    long dropped;
    RuntimeException failure;

    @Override
    public void publishRedisCommand(ThreadContext context) {
      if (failure != null) {
        throw failure;
      }
      RedisCall c = context.redisCall();
      commands.add(new Object[] {c.command(), c.arguments(), c.socket(), c.reply(), c.error(), c.handshake(), c.connection(),
          c.replyLength()});
    }

    @Override
    public void publishRedisBatch(ThreadContext context) {
      RedisBatch b = context.redisBatch();
      List<Object> batch = new ArrayList<>();
      batch.add(b.method());
      for (int i = 0; i < b.recorded(); i++) {
        batch.add(b.commandAt(i));
      }
      batches.add(batch);
    }

    @Override
    public void countDropped(long events) {
      dropped += events;
    }
  }

  private final Sink sink = new Sink();
  private ClassLoader advised;

  @BeforeEach
  void adviseStandIns() {
    Bridge.install(sink, true, false);
    RedisHooks.recordHandshakes(false);
    advised = new ByteBuddy()
        .redefine(StandIns.Connection.class)
        .visit(Advice.to(io.memtrace.agent.instrumentation.jedis.v4_0.SendCommandAdvice.class)
            .on(named("sendCommand").and(takesArguments(Object.class))))
        .visit(Advice.to(io.memtrace.agent.instrumentation.jedis.v3_0.SendCommandAdvice.class)
            .on(named("sendCommand").and(takesArguments(2))))
        .visit(Advice.to(ReadReplyAdvice.class).on(named("readProtocolWithCheckingBroken")))
        .visit(Advice.to(HandshakeAdvice.class).on(named("initializeFromClientConfig").or(named("initializeManyFromClientConfig"))))
        .visit(Advice.to(DisconnectAdvice.class).on(named("disconnect")))
        .visit(Advice.to(FlushAdvice.class).on(named("flush")))
        .visit(Advice.to(io.memtrace.agent.instrumentation.jedis.v4_0.GetManyAdvice.class)
            .on(named("getMany").and(takesArguments(int.class))))
        .make()
        .include(new ByteBuddy().redefine(StandIns.Pipeline.class)
            .visit(Advice.to(BatchAdvice.class).on(named("syncAndReturnAll").or(named("sync")))).make())
        .include(new ByteBuddy().redefine(StandIns.PubSub.class)
            .visit(Advice.to(PubSubLoopAdvice.class).on(named("process"))).make())
        .include(new ByteBuddy().redefine(StandIns.BinaryJedis.class)
            .visit(Advice.to(ClientSetupAdvice.class).on(named("initializeFromClientConfig")))
            .visit(Advice.to(MultiAdvice.class).on(named("multi"))).make())
        .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST)
        .getLoaded().getClassLoader();
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
    RedisHooks.recordHandshakes(false);
    RedisHooks.keepBulkReplies(false);
  }

  private Object make(Class<?> standIn, Object... args) throws Exception {
    Class<?> type = Class.forName(standIn.getName(), true, advised);
    assertThat(type.getClassLoader()).as("the advised copy").isSameAs(advised);
    for (java.lang.reflect.Constructor<?> c : type.getConstructors()) {
      if (c.getParameterCount() == args.length) {
        return c.newInstance(args);
      }
    }
    throw new AssertionError("no constructor");
  }

  /** Calls {@code name} and returns what it returned, or throws exactly what it threw. */
  private static Object call(Object target, String name, Class<?>[] types, Object... args) throws Throwable {
    Method m = target.getClass().getMethod(name, types);
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Object send(Object connection, Object command) throws Throwable {
    return call(connection, "sendCommand", new Class<?>[] {Object.class}, command);
  }

  private static Object read(Object connection) throws Throwable {
    return call(connection, "readProtocolWithCheckingBroken", new Class<?>[0]);
  }

  @SuppressWarnings("unchecked")
  private static void replies(Object connection, Object... replies) throws Exception {
    Deque<Object> queue = (Deque<Object>) connection.getClass().getField("replies").get(connection);
    Collections.addAll(queue, replies);
  }

  @Test
  void shouldPublishCommandWithItsSocketAndReplyAndReturnTheReplyUnchanged() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    Object socket = connection.getClass().getField("socket").get(connection);
    Object command = new Object();
    Object reply = "value".getBytes();
    replies(connection, reply);

    send(connection, command);
    assertThat(read(connection)).isSameAs(reply);

    assertThat(sink.commands).singleElement().satisfies(c -> {
      assertThat(c[0]).isSameAs(command);
      assertThat(c[2]).isSameAs(socket);
      assertThat(c[3]).as("a bulk string is staged as its length").isNull();
      assertThat(c[7]).isEqualTo(5);
      assertThat(c[6]).isSameAs(connection);
    });
  }

  @Test
  void shouldHandOverTheBulkReplyItselfWhenValuesAreFingerprinted() throws Throwable {
    RedisHooks.keepBulkReplies(true);
    Object connection = make(StandIns.Connection.class);
    byte[] reply = "value".getBytes();
    replies(connection, reply);

    send(connection, new Object());
    assertThat(read(connection)).isSameAs(reply);

    assertThat(sink.commands).singleElement().satisfies(c -> {
      assertThat(c[3]).as("the very array the application got: a reference, never a copy").isSameAs(reply);
      assertThat(c[7]).isEqualTo(5);
    });
  }

  @Test
  void shouldPublishJedis3CommandWithItsArguments() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    byte[][] args = {"key".getBytes()};
    replies(connection, "OK");

    call(connection, "sendCommand", new Class<?>[] {Object.class, byte[][].class}, "GET", args);
    read(connection);

    assertThat(sink.commands).singleElement().satisfies(c -> {
      assertThat(c[0]).isEqualTo("GET");
      assertThat(c[1]).isSameAs(args);
    });
  }

  @Test
  void shouldRethrowTheSameErrorReplyAndPublishIt() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    RuntimeException wrongType = new RuntimeException("WRONGTYPE");
    replies(connection, wrongType);
    send(connection, "LPUSH");

    assertThat(catchThrowable(() -> read(connection))).isSameAs(wrongType);

    assertThat(sink.commands).singleElement().satisfies(c -> assertThat(c[4]).isSameAs(wrongType));
  }

  @Test
  void shouldRethrowTheSameFailureOfASendAndPublishTheCommandWithIt() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    RuntimeException broken = new IllegalStateException("broken pipe");
    connection.getClass().getField("sendFailure").set(connection, broken);

    assertThat(catchThrowable(() -> send(connection, "SET"))).isSameAs(broken);

    assertThat(sink.commands).singleElement().satisfies(c -> {
      assertThat(c[0]).isEqualTo("SET");
      assertThat(c[4]).isSameAs(broken);
    });
  }

  @Test
  void shouldLeaveReturnValuesAndExceptionsAloneWhenMemtraceItselfFails() throws Throwable {
    long internalErrors = Bridge.internalErrors();
    sink.failure = new IllegalStateException("memtrace broke");
    Object connection = make(StandIns.Connection.class);
    RuntimeException errorReply = new RuntimeException("ERR");
    replies(connection, "v", errorReply);

    send(connection, "GET");
    assertThat(read(connection)).isEqualTo("v");
    send(connection, "INCR");
    assertThat(catchThrowable(() -> read(connection))).isSameAs(errorReply);

    assertThat(Bridge.internalErrors() - internalErrors).isEqualTo(2);
  }

  @Test
  void shouldMarkCommandsSentWhileTheConnectionSetsItselfUp() throws Throwable {
    RedisHooks.recordHandshakes(true);
    Object connection = make(StandIns.Connection.class);
    RuntimeException rejected = new RuntimeException("ERR unknown subcommand 'SETINFO'");
    replies(connection, rejected, "v");

    assertThat(catchThrowable(() -> call(connection, "initializeFromClientConfig",
        new Class<?>[] {Object.class}, "config"))).isSameAs(rejected);
    send(connection, "GET");
    read(connection);

    assertThat(sink.commands).extracting(c -> c[5]).containsExactly(true, false);
  }

  @Test
  void shouldMarkWhatJedis3SendsWhileItSetsUpTheConnectionItHolds() throws Throwable {
    RedisHooks.recordHandshakes(true);
    Object connection = make(StandIns.Connection.class);
    replies(connection, "OK");
    Object jedis = make(StandIns.BinaryJedis.class, connection);

    call(jedis, "setUp", new Class<?>[0]);

    assertThat(sink.commands).singleElement().satisfies(c -> {
      assertThat(c[0]).isEqualTo("AUTH");
      assertThat(c[5]).isEqualTo(true);
    });
  }

  @Test
  void shouldKeepJedis3sMultiForItsTransactionAndReturnWhatMultiReturns() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    replies(connection, "OK");
    Object jedis = make(StandIns.BinaryJedis.class, connection);

    assertThat(call(jedis, "multi", new Class<?>[0])).isEqualTo("a transaction");
    assertThat(sink.commands).as("not a span of its own").isEmpty();

    call(connection, "disconnect", new Class<?>[0]);
    assertThat(sink.dropped).as("its transaction never ran").isOne();
  }

  /** A pipeline with a SET and a GET sent, whose replies are "OK" and "v". */
  private Object pipelinedSetAndGet() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    Object pipeline = make(StandIns.Pipeline.class, connection);
    replies(connection, "OK", "v");
    send(connection, "SET");
    send(connection, "GET");
    pipeline.getClass().getField("queued").set(pipeline, 2);
    return pipeline;
  }

  @Test
  void shouldPublishWhatSyncReadsAsOneBatchAndReturnItsList() throws Throwable {
    Object pipeline = pipelinedSetAndGet();

    assertThat(call(pipeline, "syncAndReturnAll", new Class<?>[0])).isEqualTo(List.of("OK", "v"));

    assertThat(sink.commands).isEmpty();
    assertThat(sink.batches).containsExactly(List.of("syncAndReturnAll", "SET", "GET"));
  }

  @Test
  void shouldGroupEachConnectionsPartOfAClusterPipelineReadOnAWorkerThread() throws Throwable {
    Object first = make(StandIns.Connection.class);
    Object second = make(StandIns.Connection.class);
    int commands = 20; // more than a connection records: the rest are counted in the batch, not dropped
    for (int i = 0; i < commands; i++) {
      replies(first, "a" + i);
      replies(second, "b" + i);
      send(first, "A" + i);
      send(second, "B" + i);
    }
    List<Object> read = Collections.synchronizedList(new ArrayList<>());
    List<Thread> workers = new ArrayList<>();
    for (Object connection : List.of(first, second)) {
      Thread worker = new Thread(() -> {
        try {
          read.add(call(connection, "getMany", new Class<?>[] {int.class}, commands));
        } catch (Throwable e) {
          read.add(e);
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(10_000);
    }

    assertThat(read).hasSize(2).allSatisfy(r -> assertThat(r).asList().hasSize(commands));
    assertThat(sink.commands).as("no command of the pipeline is a span of its own").isEmpty();
    assertThat(sink.dropped).isZero();
    assertThat(sink.batches).hasSize(2).allSatisfy(batch -> {
      assertThat(batch.get(0)).isEqualTo("getMany");
      assertThat(batch).hasSize(1 + RedisBatch.CAPACITY);
      String prefix = String.valueOf(batch.get(1)).substring(0, 1);
      assertThat(batch.subList(1, batch.size())).as("one connection's commands, in order")
          .allSatisfy(c -> assertThat(String.valueOf(c)).startsWith(prefix));
    });
  }

  @Test
  void shouldLeaveAHandshakeReadThroughGetManyToTheHandshake() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    replies(connection, "OK", "OK", "v");

    call(connection, "initializeManyFromClientConfig", new Class<?>[] {Object.class}, "config");
    send(connection, "GET");
    read(connection);

    assertThat(sink.batches).as("no batch of hidden commands, whose SELECT and READONLY would be lost").isEmpty();
    assertThat(sink.commands).extracting(c -> c[0]).containsExactly("CLIENT SETINFO", "READONLY", "GET");
    assertThat(sink.commands).extracting(c -> c[5]).containsExactly(true, true, false);
  }

  @Test
  void shouldKeepOneBatchWhenSyncReadsThroughGetMany() throws Throwable {
    Object pipeline = pipelinedSetAndGet();

    assertThat(call(pipeline, "sync", new Class<?>[0])).isEqualTo(List.of("OK", "v"));

    assertThat(sink.batches).as("the outermost batch method names it").containsExactly(List.of("sync", "SET", "GET"));
  }

  @Test
  void shouldIgnoreMessagesPushedToASubscriber() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    Object listener = make(StandIns.PubSub.class, connection);
    byte[] subscribe = "SUBSCRIBE".getBytes();
    Object command = List.of(subscribe, "news".getBytes());
    replies(connection, List.of("subscribe".getBytes(), "news".getBytes(), 1L),
        List.of("message".getBytes(), "news".getBytes(), "hello".getBytes()));
    send(connection, command);
    listener.getClass().getField("reads").set(listener, 2);

    call(listener, "run", new Class<?>[0]);

    assertThat(sink.commands).singleElement().satisfies(c -> assertThat(c[0]).isSameAs(command));
    assertThat(ThreadContext.current().redisBatch().recorded()).isZero();
  }

  @Test
  void shouldCountWhatADisconnectedConnectionStillOwed() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    send(connection, "SET");
    send(connection, "GET");

    call(connection, "disconnect", new Class<?>[0]);

    assertThat(sink.dropped).isEqualTo(2);
  }

  @Test
  void shouldRethrowTheSameFailureOfAFlushAndEndWhatItLeftUnwrittenWithIt() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    RuntimeException refused = new IllegalStateException("SSLHandshakeException: PKIX path building failed");
    connection.getClass().getField("flushFailure").set(connection, refused);
    send(connection, "SET");
    send(connection, "GET");

    assertThat(catchThrowable(() -> call(connection, "getOne", new Class<?>[0]))).isSameAs(refused);
    call(connection, "disconnect", new Class<?>[0]);

    assertThat(sink.commands).extracting(c -> c[0]).containsExactly("SET", "GET");
    assertThat(sink.commands).allSatisfy(c -> assertThat(c[4]).isSameAs(refused));
    assertThat(sink.dropped).isZero();
  }

  @Test
  void shouldLeaveCommandsPendingWhenTheFlushSucceeds() throws Throwable {
    Object connection = make(StandIns.Connection.class);
    replies(connection, "OK");
    send(connection, "SET");

    assertThat(call(connection, "getOne", new Class<?>[0])).isEqualTo("OK");

    assertThat(sink.commands).singleElement().satisfies(c -> {
      assertThat(c[3]).isEqualTo("OK");
      assertThat(c[4]).isNull();
    });
  }
}
