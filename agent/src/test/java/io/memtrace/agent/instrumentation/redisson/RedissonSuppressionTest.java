package io.memtrace.agent.instrumentation.redisson;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.CommandRecordingSink;
import io.memtrace.agent.bootstrap.OtelSuppressor;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.SendAdvice;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.RedisCommand;

/**
 * The send advice around the OpenTelemetry agent's Redisson instrumentation, which starts its span
 * inside {@code RedisConnection.send}: inlined with Byte Buddy into a stand-in connection whose
 * {@code send} reports whether a suppressing scope is open. No agent, no Redis.
 */
class RedissonSuppressionTest {

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
    OtelSuppressor.install(OtelSuppressor.Client.REDISSON, null);
    Scopes.open = 0;
    Scopes.opened = 0;
  }

  @Test
  void shouldKeepTheOpenTelemetryAgentsRedissonSpanFromStartingWhileSending() throws Exception {
    CommandRecordingSink sink = new CommandRecordingSink();
    Bridge.install(sink, true, false);
    OtelSuppressor.install(OtelSuppressor.Client.REDISSON, new Scopes());

    assertThat(send(command())).as("scopes open inside send").isEqualTo(1);

    assertThat(Scopes.opened).isEqualTo(1);
    assertThat(Scopes.open).as("closed on the way out").isZero();
    assertThat(sink.starts).hasSize(1);
  }

  @Test
  void shouldLeaveTheOpenTelemetryAgentsRedissonSpansAloneWhileMemtracesRedisTracingIsOff() throws Exception {
    Bridge.install(new CommandRecordingSink(), false, false);
    OtelSuppressor.install(OtelSuppressor.Client.REDISSON, new Scopes());

    assertThat(send(command())).isZero();
    assertThat(Scopes.opened).isZero();
  }

  @Test
  void shouldLeaveTheOtherClientsSuppressionsOutOfRedissonsSend() throws Exception {
    Bridge.install(new CommandRecordingSink(), true, false);
    OtelSuppressor.install(OtelSuppressor.Client.JEDIS, new Scopes());
    try {
      assertThat(send(command())).as("the user may have chosen the OpenTelemetry agent for Redisson").isZero();
    } finally {
      OtelSuppressor.install(OtelSuppressor.Client.JEDIS, null);
    }
  }

  private static Object command() {
    return new CommandData<>(new CompletableFuture<>(), StringCodec.INSTANCE, new RedisCommand<>("GET"),
        new Object[] {"k"});
  }

  private static int send(Object command) throws Exception {
    Class<?> advised = new ByteBuddy().redefine(Connection.class)
        .visit(Advice.to(SendAdvice.class).on(named("send")))
        .make().load(RedissonSuppressionTest.class.getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST)
        .getLoaded();
    Object connection = advised.getConstructor().newInstance();
    advised.getMethod("send", CommandData.class).invoke(connection, command);
    return advised.getField("scopesOpenInSend").getInt(null); // the advised copy's
  }

  /** Stands in for {@code RedisConnection}: its channel, and a send that notes the open scopes and is written. */
  public static final class Connection {
    public static int scopesOpenInSend;
    public Object channel = "channel";

    public ChannelFuture send(CommandData<?, ?> command) {
      scopesOpenInSend = Scopes.open;
      return new EmbeddedChannel().newSucceededFuture();
    }
  }

  /** A suppressor that counts its scopes instead of touching an OpenTelemetry context. */
  public static final class Scopes extends OtelSuppressor {
    public static int open;
    public static int opened;

    @Override
    protected Object open() {
      open++;
      opened++;
      return "scope";
    }

    @Override
    protected void close(Object scope) {
      open--;
    }
  }
}
