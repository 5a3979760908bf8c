package io.memtrace.agent.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.TransactionalCommand;
import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.CommandRecordingSink;
import io.memtrace.agent.bootstrap.LettuceHooks;
import io.memtrace.agent.bootstrap.OtelSuppressor;
import io.memtrace.agent.bootstrap.ThreadContext;
import io.memtrace.agent.instrumentation.lettuce.common.CancelAdvice;
import io.memtrace.agent.instrumentation.lettuce.common.CompleteAdvice;
import io.memtrace.agent.instrumentation.lettuce.common.CompleteExceptionallyAdvice;
import io.memtrace.agent.instrumentation.lettuce.common.DispatchAdvice;
import io.memtrace.agent.instrumentation.lettuce.v6_0.HandshakeAdvice;
import io.memtrace.agent.instrumentation.lettuce.common.ReactiveTracingAdvice;
import io.memtrace.agent.instrumentation.lettuce.common.ReadAdvice;
import io.memtrace.agent.instrumentation.lettuce.common.WriteAdvice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lettuce advice, inlined with Byte Buddy into Lettuce's real command classes (redefined into a
 * class loader of their own) and into stand-ins shaped like its endpoint and handshake: no agent,
 * no Redis. A command chain publishes one end, before its future completes; what the application
 * is handed is unchanged.
 */
class LettuceAdviceTest {

  /** {@code DefaultEndpoint}, {@code RedisHandshake} and {@code RedisChannelHandler}, as far as the advice sees them. */
  public static class Endpoint {
    public Object channel = new Object();

    public RedisCommand<?, ?, ?> write(RedisCommand<?, ?, ?> command) {
      return command;
    }
  }

  public static class Handshake {
    public Object dispatch(Object channel, Object sent) {
      return sent;
    }
  }

  /** {@code AbstractRedisReactiveCommands.decorate}: wraps a command supplier with a trace context. */
  public static class ReactiveCommands {
    public Object decorate(Object commandSupplier, Object traceContext) {
      return "decorated";
    }
  }

  /** {@code CommandHandler}: reading a reply of its channel completes the command it answers. */
  public static class CommandHandler {
    public Object channel = new Object();

    public void channelRead(Object context, Object command) {
      ((RedisCommand<?, ?, ?>) command).complete();
    }
  }

  public static class ChannelHandler {
    public Object dispatch(Object command) {
      return command;
    }
  }

  private final CommandRecordingSink sink = new CommandRecordingSink();
  private ClassLoader advised;

  @BeforeEach
  void adviseLettuce() {
    Bridge.install(sink, true, false);
    DynamicType.Unloaded<?> types = completions(Command.class)
        .include(completions(AsyncCommand.class), completions(CommandWrapper.class),
            new ByteBuddy().redefine(TransactionalCommand.class).make(),
            new ByteBuddy().redefine(Endpoint.class).visit(Advice.to(WriteAdvice.class).on(named("write"))).make(),
            new ByteBuddy().redefine(Handshake.class).visit(Advice.to(HandshakeAdvice.class).on(named("dispatch"))).make(),
            new ByteBuddy().redefine(ChannelHandler.class).visit(Advice.to(DispatchAdvice.class).on(named("dispatch"))).make(),
            new ByteBuddy().redefine(CommandHandler.class).visit(Advice.to(ReadAdvice.class).on(named("channelRead"))).make(),
            new ByteBuddy().redefine(ReactiveCommands.class)
                .visit(Advice.to(ReactiveTracingAdvice.class).on(named("decorate"))).make());
    advised = types.load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded().getClassLoader();
  }

  private static DynamicType.Unloaded<?> completions(Class<?> type) {
    return new ByteBuddy().redefine(type)
        .visit(Advice.to(CompleteAdvice.class).on(named("complete").and(ElementMatchers.takesArguments(0))))
        .visit(Advice.to(CompleteExceptionallyAdvice.class).on(named("completeExceptionally")))
        .visit(Advice.to(CancelAdvice.class).on(named("cancel")))
        .make();
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
    OtelSuppressor.install(OtelSuppressor.Client.LETTUCE, null);
  }

  private Object make(Class<?> type, Class<?>[] parameters, Object... args) throws Exception {
    Class<?> loaded = Class.forName(type.getName(), true, advised);
    assertThat(loaded.getClassLoader()).as("the advised copy").isSameAs(advised);
    return loaded.getConstructor(parameters).newInstance(args);
  }

  /** An advised {@code GET k} whose output holds {@code value} once complete. */
  private RedisCommand<String, String, String> get(String value) throws Exception {
    ValueOutput<String, String> output = new ValueOutput<>(StringCodec.UTF8);
    if (value != null) {
      output.set(java.nio.ByteBuffer.wrap(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    @SuppressWarnings("unchecked")
    RedisCommand<String, String, String> command = (RedisCommand<String, String, String>) make(Command.class,
        new Class<?>[] {io.lettuce.core.protocol.ProtocolKeyword.class, io.lettuce.core.output.CommandOutput.class,
            CommandArgs.class},
        CommandType.GET, output, new CommandArgs<>(StringCodec.UTF8).addKey("k"));
    return command;
  }

  @SuppressWarnings("unchecked")
  private RedisCommand<String, String, String> async(RedisCommand<String, String, String> command) throws Exception {
    return (RedisCommand<String, String, String>) make(AsyncCommand.class, new Class<?>[] {RedisCommand.class}, command);
  }

  @Test
  void shouldPublishOneEndForAnAsyncCommandBeforeItsFutureCompletes() throws Exception {
    RedisCommand<String, String, String> command = get("value");
    RedisCommand<String, String, String> async = async(command);
    List<Integer> endsWhenTheApplicationSawIt = new ArrayList<>();
    ((CompletableFuture<?>) async).whenComplete((v, e) -> endsWhenTheApplicationSawIt.add(sink.ends.size()));

    async.complete();

    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).as("keyed by the innermost command").isSameAs(command);
      assertThat(e.error).isNull();
    });
    assertThat(endsWhenTheApplicationSawIt).containsExactly(1);
    assertThat(((CompletableFuture<?>) async).get()).isEqualTo("value");
    assertThat(ThreadContext.current().redisCall().command()).isNull();
  }

  @Test
  void shouldEndACommandCompletedWhileItsHandlerReadsWithTheChannelThatAnsweredAndOnlyThen() throws Exception {
    Object handler = make(CommandHandler.class, new Class<?>[0]);
    Object channel = handler.getClass().getField("channel").get(handler);
    RedisCommand<String, String, String> answered = get("value");
    RedisCommand<String, String, String> cancelled = get(null);

    handler.getClass().getMethod("channelRead", Object.class, Object.class).invoke(handler, null, async(answered));
    async(cancelled).cancel();

    assertThat(sink.ends).hasSize(2);
    assertThat(sink.ends.get(0).channel).isSameAs(channel);
    assertThat(sink.ends.get(1).channel).as("outside a read: the start's channel stands").isNull();
  }

  @Test
  void shouldPublishOneEndForAWrappedCommandAndNoneForASecondCompletion() throws Exception {
    RedisCommand<String, String, String> command = get(null);
    RedisCommand<?, ?, ?> wrapper = (RedisCommand<?, ?, ?>) make(CommandWrapper.class, new Class<?>[] {RedisCommand.class}, command);

    wrapper.complete();
    wrapper.complete();
    command.cancel();

    assertThat(sink.ends).singleElement().satisfies(e -> assertThat(e.command).isSameAs(command));
  }

  @Test
  void shouldPublishTheFailureOfACommandAndHandTheApplicationTheSameOne() throws Exception {
    RedisCommand<String, String, String> command = get(null);
    RedisCommand<String, String, String> async = async(command);
    RuntimeException closed = new io.lettuce.core.RedisException("Connection closed");

    async.completeExceptionally(closed);

    assertThat(sink.ends).singleElement().satisfies(e -> assertThat(e.error).isSameAs(closed));
    assertThat(catchThrowable(() -> ((CompletableFuture<?>) async).get()))
        .isInstanceOf(ExecutionException.class).hasCauseReference(closed);
  }

  @Test
  void shouldEndACancelledCommandWithACancellation() throws Exception {
    RedisCommand<String, String, String> async = async(get(null));

    ((CompletableFuture<?>) async).cancel(true);

    assertThat(sink.ends).singleElement().satisfies(e -> assertThat(e.error).isInstanceOf(CancellationException.class));
    assertThat(((CompletableFuture<?>) async).isCancelled()).isTrue();
  }

  @Test
  void shouldPublishTheStartOfAWrittenCommandWithItsEndpointAndChannel() throws Exception {
    Object endpoint = make(Endpoint.class, new Class<?>[0]);
    Object channel = endpoint.getClass().getField("channel").get(endpoint);
    RedisCommand<String, String, String> command = get(null);
    RedisCommand<String, String, String> async = async(command);

    Object written = endpoint.getClass().getMethod("write", RedisCommand.class).invoke(endpoint, async);

    assertThat(written).isSameAs(async);
    sink.onlyPlainStart(endpoint, channel, command);
  }

  @Test
  void shouldMarkACommandQueuedInATransaction() throws Exception {
    Object endpoint = make(Endpoint.class, new Class<?>[0]);
    RedisCommand<String, String, String> command = get(null);
    Object queued = make(TransactionalCommand.class, new Class<?>[] {RedisCommand.class}, command);

    endpoint.getClass().getMethod("write", RedisCommand.class).invoke(endpoint, queued);

    assertThat(sink.starts).singleElement().satisfies(s -> {
      assertThat(s.command).isSameAs(command);
      assertThat(s.marker).isSameAs(LettuceHooks.IN_TRANSACTION);
    });
  }

  @Test
  void shouldPublishTheStartOfEveryHandshakeCommandOnItsChannel() throws Exception {
    Object handshake = make(Handshake.class, new Class<?>[0]);
    Object channel = new Object();
    RedisCommand<String, String, String> hello = get(null);
    RedisCommand<String, String, String> select = get(null);

    handshake.getClass().getMethod("dispatch", Object.class, Object.class).invoke(handshake, channel, hello);
    handshake.getClass().getMethod("dispatch", Object.class, Object.class)
        .invoke(handshake, channel, List.of(async(select)));

    assertThat(sink.starts).extracting(s -> s.command).containsExactly(hello, select);
    assertThat(sink.starts).allSatisfy(s -> {
      assertThat(s.connection).isSameAs(channel);
      assertThat(s.handshake).isTrue();
    });
  }

  @Test
  void shouldKeepTheOpenTelemetryAgentsLettuceSpanFromStartingWhileDispatching() throws Exception {
    int[] openAndClosed = new int[2];
    OtelSuppressor.install(OtelSuppressor.Client.LETTUCE, new OtelSuppressor() {
      @Override
      protected Object open() {
        openAndClosed[0]++;
        return "scope";
      }

      @Override
      protected void close(Object scope) {
        assertThat(scope).isEqualTo("scope");
        openAndClosed[1]++;
      }
    });
    Object handler = make(ChannelHandler.class, new Class<?>[0]);

    Object command = new Object();
    assertThat(handler.getClass().getMethod("dispatch", Object.class).invoke(handler, command)).isSameAs(command);

    assertThat(openAndClosed).containsExactly(1, 1);
  }

  @Test
  void shouldLeaveAReactiveCommandUndecoratedOnlyWhileTheOpenTelemetryAgentsSpansAreKeptFromStarting() throws Exception {
    Object reactive = make(ReactiveCommands.class, new Class<?>[0]);
    java.lang.reflect.Method decorate = reactive.getClass().getMethod("decorate", Object.class, Object.class);
    Object supplier = new Object();

    assertThat(decorate.invoke(reactive, supplier, "context")).isEqualTo("decorated");
    OtelSuppressor.install(OtelSuppressor.Client.LETTUCE, new OtelSuppressor() {
      @Override
      protected Object open() {
        return "scope";
      }

      @Override
      protected void close(Object scope) {
      }
    });
    assertThat(decorate.invoke(reactive, supplier, "context")).as("traced at its dispatch instead").isSameAs(supplier);
  }
}
