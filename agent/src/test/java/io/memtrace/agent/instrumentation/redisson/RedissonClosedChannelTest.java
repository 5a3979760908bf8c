package io.memtrace.agent.instrumentation.redisson;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.CommandRecordingSink;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.ChannelClosedAdvice;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.SendAdvice;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.WriteFailedAdvice;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisConnection;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.WriteRedisConnectionException;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.handler.CommandsQueue;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.CommandsData;
import org.redisson.client.protocol.QueueCommandHolder;
import org.redisson.client.protocol.RedisCommand;

/**
 * A closed channel's commands, with the advice inlined by Byte Buddy into Redisson's real {@code CommandsQueue} and
 * {@code RedisConnection} (redefined into class loaders of their own) on a Netty {@code EmbeddedChannel}: no agent,
 * no Redis. When the channel closes, Redisson empties its queue and fails only the writes; a command handed to a
 * channel closed already is never written, and only its write fails, which takes it out of the queue. Redisson fails
 * none of these commands (its executor gives the attempt up and retries it), so without the advice each start would
 * never meet an end and be counted as dropped.
 */
class RedissonClosedChannelTest {

  private final CommandRecordingSink sink = new CommandRecordingSink();
  private EmbeddedChannel channel;

  @BeforeEach
  void openAnAdvisedChannel() throws Exception {
    Bridge.install(sink, true, false);
    Class<?> queue = new ByteBuddy().redefine(CommandsQueue.class)
        .visit(Advice.to(ChannelClosedAdvice.class).on(named("channelInactive")))
        .visit(Advice.to(WriteFailedAdvice.class).on(named("write")))
        .make().load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
    assertThat(queue).as("the advised copy").isNotSameAs(CommandsQueue.class);
    channel = new EmbeddedChannel((ChannelHandler) queue.getConstructor().newInstance());
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
  }

  @Test
  void shouldEndACommandWaitingForItsReplyWithTheConnectionsFailure() {
    CompletableFuture<Object> promise = new CompletableFuture<>();
    CommandData<Object, Object> get = command(promise, "GET", "k");
    assertThat(channel.writeOutbound(get)).as("written").isTrue();

    channel.close();

    assertThat(promise).as("Redisson fails nothing: its attempt waits for the response timeout").isNotDone();
    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).isSameAs(get);
      assertThat(e.error).isExactlyInstanceOf(RedisConnectionException.class)
          .hasMessageStartingWith("Channel has been closed before the reply");
      assertThat((Object[]) e.arguments).containsExactly("GET", null, "k");
    });
  }

  @Test
  void shouldEndACommandNotWrittenYetWithAWriteFailure() {
    CommandData<Object, Object> set = command(new CompletableFuture<>(), "SET", "k", "v");
    channel.attr(CommandsQueue.COMMANDS_QUEUE).get().add(new QueueCommandHolder(set, channel.newPromise()));

    channel.close();

    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).isSameAs(set);
      assertThat(e.error).isExactlyInstanceOf(WriteRedisConnectionException.class);
    });
  }

  /**
   * The channel closes after {@code RedisConnection.send} looked at it, as Netty is about to run the write: the write
   * fails, Redisson's listener on it takes the command out of the queue, and {@code channelInactive} finds it empty.
   */
  @Test
  void shouldEndACommandWhoseChannelClosesAsItIsWritten() {
    beforeTheSocket((ctx, promise) -> {
      ctx.close();
      return true;
    });
    CompletableFuture<Object> promise = new CompletableFuture<>();
    CommandData<Object, Object> set = command(promise, "SET", "k", "v");

    ChannelFuture written = channel.writeOneOutbound(set);
    channel.runPendingTasks();

    assertThat(written.cause()).as("the write failed").isNotNull();
    assertThat(channel.isActive()).isFalse();
    assertThat(promise).as("Redisson fails only the write").isNotDone();
    assertThat(channel.attr(CommandsQueue.COMMANDS_QUEUE).get()).as("let go of by Redisson").isEmpty();
    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).isSameAs(set);
      assertThat(e.error).isExactlyInstanceOf(WriteRedisConnectionException.class).hasCause(written.cause());
    });
  }

  /** The flush fails as the connection breaks, before the channel closes: each command of the batch ends once. */
  @Test
  void shouldEndEachCommandOfABatchWhoseFlushFails() {
    IOException broken = new IOException("Broken pipe");
    beforeTheSocket((ctx, promise) -> {
      promise.setFailure(broken);
      return false;
    });
    CommandData<Object, Object> first = command(new CompletableFuture<>(), "SET", "a", "1");
    CommandData<Object, Object> second = command(new CompletableFuture<>(), "GET", "a");

    channel.writeOneOutbound(new CommandsData(new CompletableFuture<>(), List.of(first, second), false, false));
    channel.close();

    assertThat(sink.ends).extracting(e -> e.command).containsExactly(first, second);
    assertThat(sink.ends).allSatisfy(e -> assertThat(e.error).isExactlyInstanceOf(WriteRedisConnectionException.class)
        .hasCause(broken));
  }

  /** What the socket's side of the pipeline does first with each write; {@code true} passes the write on. */
  private void beforeTheSocket(java.util.function.BiPredicate<ChannelHandlerContext, ChannelPromise> first) {
    channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (first.test(ctx, promise)) {
          ctx.write(msg, promise);
        } else {
          ReferenceCountUtil.release(msg);
        }
      }
    });
  }

  @Test
  void shouldEndEachCommandOfABatch() {
    CommandData<Object, Object> first = command(new CompletableFuture<>(), "INCR", "a");
    CommandData<Object, Object> second = command(new CompletableFuture<>(), "INCR", "b");
    channel.writeOutbound(new CommandsData(new CompletableFuture<>(), List.of(first, second), false, false));

    channel.close();

    assertThat(sink.ends).extracting(e -> e.command).containsExactly(first, second);
  }

  /**
   * A blocking command stays in the queue and is sent again on another connection; one answered published its end
   * then; one given up by its response timeout still waited for its end, and ends with what it was given up with.
   */
  @Test
  void shouldLeaveBlockingAndAnsweredCommandsAndEndAGivenUpOneAsGivenUp() {
    CompletableFuture<Object> answered = new CompletableFuture<>();
    CompletableFuture<Object> givenUp = new CompletableFuture<>();
    CommandData<Object, Object> blocking = command(new CompletableFuture<>(), "BLPOP", "q", 0);
    CommandData<Object, Object> late = command(givenUp, "GET", "late");
    channel.writeOutbound(blocking, command(answered, "GET", "done"), late);
    answered.complete("v");
    CancellationException cancelled = new CancellationException();
    givenUp.completeExceptionally(cancelled);

    channel.close();

    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).isSameAs(late);
      assertThat(e.error).isSameAs(cancelled);
    });
    assertThat(channel.attr(CommandsQueue.COMMANDS_QUEUE).get()).extracting(QueueCommandHolder::getCommand)
        .as("kept by Redisson for its reattachment").containsExactly(blocking);
  }

  @Test
  void shouldEndACommandHandedToAClosedChannelWithAWriteFailure() throws Exception {
    Object connection = adviseSend().getConstructor(RedisClient.class, Channel.class, CompletableFuture.class)
        .newInstance(null, channel, new CompletableFuture<>());
    channel.close();
    CompletableFuture<Object> promise = new CompletableFuture<>();
    CommandData<Object, Object> set = command(promise, "SET", "k", "v");

    ChannelFuture written = (ChannelFuture) connection.getClass().getMethod("send", CommandData.class)
        .invoke(connection, set);

    assertThat(written.isSuccess()).isFalse();
    assertThat(promise).as("Redisson fails only the write").isNotDone();
    assertThat(sink.starts).singleElement().satisfies(s -> assertThat(s.command).isSameAs(set));
    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).isSameAs(set);
      assertThat(e.error).isExactlyInstanceOf(WriteRedisConnectionException.class)
          .hasMessageStartingWith("Channel has been closed before the write").hasCause(written.cause());
    });
  }

  @Test
  void shouldLeaveACommandWrittenToAnOpenChannelToItsReply() throws Exception {
    Object connection = adviseSend().getConstructor(RedisClient.class, Channel.class, CompletableFuture.class)
        .newInstance(null, channel, new CompletableFuture<>());

    connection.getClass().getMethod("send", CommandData.class).invoke(connection,
        command(new CompletableFuture<>(), "GET", "k"));

    assertThat(sink.starts).hasSize(1);
    assertThat(sink.ends).isEmpty();
  }

  /** The event loop finishes the write while the advice looks at it: a write that succeeded is no failure. */
  @Test
  void shouldNotTakeAWriteThatSucceedsWhileItIsReadForAFailure() throws Exception {
    Class<?> advised = new ByteBuddy().redefine(Connection.class)
        .visit(Advice.to(SendAdvice.class).on(named("send")))
        .make().load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
    Object connection = advised.getConstructor().newInstance();

    advised.getMethod("send", CommandData.class).invoke(connection, command(new CompletableFuture<>(), "GET", "k"));

    assertThat(sink.starts).hasSize(1);
    assertThat(sink.ends).isEmpty();
  }

  /** Stands in for {@code RedisConnection}: its send returns a write the event loop completes as it is first read. */
  public static final class Connection {
    public Object channel = "channel";

    public ChannelFuture send(CommandData<?, ?> command) {
      return new WrittenWhileRead(new EmbeddedChannel());
    }
  }

  /** A pending write that succeeds right after whichever of its states is read first, as the event loop may. */
  public static final class WrittenWhileRead extends DefaultChannelPromise {
    private boolean read;

    public WrittenWhileRead(Channel channel) {
      super(channel);
    }

    private <T> T first(T before) {
      if (!read) {
        read = true;
        setSuccess();
      }
      return before;
    }

    @Override
    public boolean isSuccess() {
      return first(super.isSuccess());
    }

    @Override
    public boolean isDone() {
      return first(super.isDone());
    }

    @Override
    public Throwable cause() {
      return first(super.cause());
    }
  }

  private Class<?> adviseSend() {
    return new ByteBuddy().redefine(RedisConnection.class)
        .visit(Advice.to(SendAdvice.class).on(named("send").and(takesArgument(0, CommandData.class))))
        .make().load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
  }

  private static CommandData<Object, Object> command(CompletableFuture<Object> promise, String name, Object... params) {
    return new CommandData<>(promise, StringCodec.INSTANCE, new RedisCommand<>(name), params);
  }
}
