package io.memtrace.agent.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.CommandRecordingSink;
import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import io.memtrace.agent.instrumentation.lettuce.common.CompleteAdvice;
import io.memtrace.agent.instrumentation.lettuce.common.CompleteExceptionallyAdvice;
import io.memtrace.agent.instrumentation.lettuce.common.RedirectAdvice;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RedirectAdvice} inlined into Lettuce's real {@code ClusterCommand} (redefined into a class loader of its
 * own, with the completion advice on the command classes): a {@code MOVED} or {@code ASK} reply the client follows
 * ends the attempt with that reply before the retry is written, although Lettuce clears it from the output.
 */
class RedirectAdviceTest {

  private final CommandRecordingSink sink = new CommandRecordingSink();
  /** For each retry Lettuce wrote, how many ends had been published by then, and the output's error then. */
  private final List<String> retries = new ArrayList<>();
  private ClassLoader advised;
  /** The application's future inside the last {@link #clusterGet}. */
  private Object async;
  /** Package-private in Lettuce. */
  private static final String CLUSTER_COMMAND = "io.lettuce.core.cluster.ClusterCommand";

  @BeforeEach
  void adviseLettuce() {
    Bridge.install(sink, true, false);
    DynamicType.Unloaded<?> types = completions(Command.class).include(completions(AsyncCommand.class),
        completions(CommandWrapper.class), new ByteBuddy().redefine(clusterCommand())
            .visit(Advice.to(RedirectAdvice.class).on(named("complete").and(takesArguments(0)))).make());
    advised = types.load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded()
        .getClassLoader();
  }

  private static Class<?> clusterCommand() {
    try {
      return Class.forName(CLUSTER_COMMAND);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static DynamicType.Unloaded<?> completions(Class<?> type) {
    return new ByteBuddy().redefine(type)
        .visit(Advice.to(CompleteAdvice.class).on(named("complete").and(takesArguments(0))))
        .visit(Advice.to(CompleteExceptionallyAdvice.class).on(named("completeExceptionally")))
        .make();
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
  }

  /** An advised {@code ClusterCommand} around an advised {@code AsyncCommand} of {@code GET k}. */
  private RedisCommand<?, ?, ?> clusterGet(RedisCommand<String, String, String> inner, int maxRedirections)
      throws Exception {
    async = Class.forName(AsyncCommand.class.getName(), true, advised).getConstructor(RedisCommand.class)
        .newInstance(inner);
    RedisChannelWriter retry = (RedisChannelWriter) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {RedisChannelWriter.class}, (proxy, method, args) -> {
          if (method.getName().equals("write")) {
            RedisCommand<?, ?, ?> command = (RedisCommand<?, ?, ?>) args[0];
            retries.add(sink.ends.size() + " " + command.getOutput().getError());
            command.getOutput().setError((String) null); // as ClusterDistributionChannelWriter does
            return command;
          }
          return null;
        });
    java.lang.reflect.Constructor<?> make = Class.forName(CLUSTER_COMMAND, true, advised)
        .getDeclaredConstructor(RedisCommand.class, RedisChannelWriter.class, int.class);
    make.setAccessible(true);
    return (RedisCommand<?, ?, ?>) make.newInstance(async, retry, maxRedirections);
  }

  /** {@code inner} in a {@link #clusterGet}, completed with the error reply {@code error}. */
  private RedisCommand<?, ?, ?> completedWithError(RedisCommand<String, String, String> inner, int maxRedirections,
      String error) throws Exception {
    RedisCommand<?, ?, ?> command = clusterGet(inner, maxRedirections);
    inner.getOutput().setError(error);
    command.complete();
    return command;
  }

  @SuppressWarnings("unchecked")
  private RedisCommand<String, String, String> get() throws Exception {
    return (RedisCommand<String, String, String>) Class.forName(Command.class.getName(), true, advised)
        .getConstructor(io.lettuce.core.protocol.ProtocolKeyword.class, io.lettuce.core.output.CommandOutput.class,
            CommandArgs.class)
        .newInstance(CommandType.GET, new ValueOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).addKey("k"));
  }

  @Test
  void shouldEndAMovedAttemptWithItsReplyBeforeTheRetryIsWritten() throws Exception {
    RedisCommand<String, String, String> inner = get();
    RedisCommand<?, ?, ?> command = completedWithError(inner, 5, "MOVED 3999 127.0.0.1:7002");

    assertThat(retries).containsExactly("1 MOVED 3999 127.0.0.1:7002");
    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).as("keyed by the innermost command").isSameAs(inner);
      assertThat(e.error).isSameAs(LettuceCompletionHooks.REDIRECTED);
      assertThat(e.reply).isEqualTo("MOVED 3999 127.0.0.1:7002");
    });
    assertThat(command.isDone()).as("Lettuce's retry is untouched").isFalse();

    inner.getOutput().set(java.nio.ByteBuffer.wrap("v".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    command.complete(); // the retry's reply, from the node named

    assertThat(sink.ends).hasSize(2);
    assertThat(sink.ends.get(1).error).isNull();
    assertThat(((CompletableFuture<?>) async).get()).isEqualTo("v");
  }

  @Test
  void shouldEndAnAskAttemptTooButLeaveAReplyLettuceWillNotFollowToTheCompletion() throws Exception {
    RedisCommand<String, String, String> inner = get();
    completedWithError(inner, 5, "ASK 3999 127.0.0.1:7003");
    assertThat(sink.ends).singleElement().satisfies(e -> assertThat(e.reply).isEqualTo("ASK 3999 127.0.0.1:7003"));

    RedisCommand<String, String, String> last = get();
    RedisCommand<?, ?, ?> exhausted = completedWithError(last, 0, "MOVED 3999 127.0.0.1:7002");

    assertThat(retries).hasSize(1);
    assertThat(sink.ends).hasSize(2);
    assertThat(sink.ends.get(1).error).as("an ordinary end: the consumer reads the error left in the output").isNull();
    assertThat(sink.ends.get(1).command).isSameAs(last);
    assertThat(exhausted.isDone()).isTrue();
  }

  @Test
  void shouldPublishNothingForAnErrorThatIsNoRedirection() throws Exception {
    RedisCommand<String, String, String> inner = get();
    completedWithError(inner, 5, "WRONGTYPE Operation against a key holding the wrong kind of value");

    assertThat(retries).isEmpty();
    assertThat(sink.ends).singleElement().satisfies(e -> assertThat(e.error).isNull());
  }
}
