package io.memtrace.agent.instrumentation.redisson;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.CommandRecordingSink;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.FailAdvice;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.RedirectAdvice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisException;
import org.redisson.client.RedisMovedException;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.BatchCommandData;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.RedisCommand;
import org.redisson.misc.RedisURI;

/**
 * The Redisson failure advice, inlined with Byte Buddy into Redisson's real {@code CommandData}
 * and {@code BatchCommandData} (redefined into a class loader of their own): no agent, no Redis.
 * A failure publishes one end before the application's promise fails; a batch command's
 * redirection, which Redisson keeps for a retry instead of failing the promise, ends its attempt.
 */
class RedissonAdviceTest {

  private final CommandRecordingSink sink = new CommandRecordingSink();
  private ClassLoader advised;

  @BeforeEach
  void adviseRedisson() {
    Bridge.install(sink, true, false);
    advised = new ByteBuddy().redefine(CommandData.class)
        .visit(Advice.to(FailAdvice.class).on(named("tryFailure")))
        .make()
        .include(new ByteBuddy().redefine(BatchCommandData.class)
            .visit(Advice.to(RedirectAdvice.class).on(named("tryFailure"))).make())
        .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded().getClassLoader();
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
  }

  @Test
  void shouldPublishOneEndWithTheErrorBeforeThePromiseFails() throws Exception {
    CompletableFuture<Object> promise = new CompletableFuture<>();
    List<Integer> endsWhenTheApplicationSawIt = new ArrayList<>();
    promise.whenComplete((v, e) -> endsWhenTheApplicationSawIt.add(sink.ends.size()));
    Object command = commandData(promise, "RPUSH", "k", "v");
    RedisException error = new RedisException("WRONGTYPE Operation against a key");

    Object failed = command.getClass().getMethod("tryFailure", Throwable.class).invoke(command, error);
    command.getClass().getMethod("tryFailure", Throwable.class).invoke(command, error);

    assertThat(failed).isEqualTo(true);
    assertThat(sink.ends).as("the second failure finds it done").singleElement().satisfies(e -> {
      assertThat(e.command).isSameAs(command);
      assertThat(e.error).isSameAs(error);
      assertThat((Object[]) e.arguments).containsExactly("RPUSH", null, "k", "v");
    });
    assertThat(endsWhenTheApplicationSawIt).containsExactly(1);
  }

  @Test
  void shouldEndABatchCommandsAttemptAtItsRedirectionThoughItsPromiseWaitsForTheRetry() throws Exception {
    CompletableFuture<Object> promise = new CompletableFuture<>();
    Object command = batchCommandData(promise, "GET", "k");
    RedisMovedException moved = new RedisMovedException(3999, new RedisURI("redis://127.0.0.1:7002"));

    Object kept = command.getClass().getMethod("tryFailure", Throwable.class).invoke(command, moved);

    assertThat(kept).as("Redisson keeps it for the retry").isEqualTo(true);
    assertThat(promise).isNotDone();
    assertThat(sink.ends).singleElement().satisfies(e -> assertThat(e.error).isSameAs(moved));
  }

  @Test
  void shouldEndABatchCommandsOtherFailureOnce() throws Exception {
    Object command = batchCommandData(new CompletableFuture<>(), "GET", "k");

    command.getClass().getMethod("tryFailure", Throwable.class).invoke(command, new RedisException("ERR boom"));

    assertThat(sink.ends).as("by CommandData's advice only").hasSize(1);
  }

  private Object commandData(CompletableFuture<Object> promise, String name, Object... params) throws Exception {
    Class<?> type = Class.forName(CommandData.class.getName(), true, advised);
    assertThat(type.getClassLoader()).as("the advised copy").isSameAs(advised);
    return type.getConstructor(CompletableFuture.class, org.redisson.client.codec.Codec.class, RedisCommand.class,
        Object[].class).newInstance(promise, StringCodec.INSTANCE, new RedisCommand<>(name), params);
  }

  private Object batchCommandData(CompletableFuture<Object> promise, String name, Object... params) throws Exception {
    Class<?> type = Class.forName(BatchCommandData.class.getName(), true, advised);
    return type.getConstructor(CompletableFuture.class, org.redisson.client.codec.Codec.class, RedisCommand.class,
        Object[].class, int.class).newInstance(promise, StringCodec.INSTANCE, new RedisCommand<>(name), params, 0);
  }
}
