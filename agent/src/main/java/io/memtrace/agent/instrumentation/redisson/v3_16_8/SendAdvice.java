package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import io.netty.channel.ChannelFuture;
import net.bytebuddy.asm.Advice;
import org.redisson.client.WriteRedisConnectionException;
import org.redisson.client.protocol.CommandData;

/**
 * {@code RedisConnection.send(CommandData)}: one attempt of a command, on the thread that got the
 * connection (the application's, when the pool had one free), before it is written: its start.
 * The connection's channel, read here, is the server's address and its database. The
 * OpenTelemetry agent's Redisson instrumentation starts its span here too, inside this advice.
 *
 * <p>A command handed to a channel that has closed already (a connection the pool handed out while its
 * {@code ConnectionWatchdog} reconnects it: Sentinel's {@code CLIENT KILL} of a node it reconfigures) is never
 * written, and Redisson fails only the write: its executor gives the attempt up and retries it, but nothing fails
 * the command. It ends here, with a {@code WriteRedisConnectionException}, when the write failed already
 * ({@code cause()}: a write that succeeded meanwhile is not taken for a failure) or is still pending on a channel
 * no longer active (a closed channel never is again, and its pending write fails; one written and answered in the
 * meantime ended already, and this end finds nothing). A channel that closes after this check fails the write
 * where Netty runs it, which {@link WriteFailedAdvice} sees.
 */
public final class SendAdvice {

  private SendAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object connection, @Advice.FieldValue("channel") Object channel,
      @Advice.Argument(0) Object command) {
    RedissonHooks.sent(connection, channel, command, false);
    return RedissonHooks.suppressOtherSpans();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Argument(0) CommandData<?, ?> command,
      @Advice.Return ChannelFuture written, @Advice.Thrown Throwable thrown, @Advice.Enter Object scope) {
    RedissonHooks.endSuppression(scope);
    if (thrown != null) {
      RedissonHooks.sendFailed(command, thrown);
    } else if (written.cause() != null || !written.isDone() && !written.channel().isActive()) {
      Throwable closed = new WriteRedisConnectionException("Channel has been closed before the write. channel: "
          + written.channel(), written.cause());
      RedissonHooks.completing(command, RedissonHooks.answered(command.getPromise()),
          RedissonHooks.failure(command.getPromise(), closed),
          command.getCommand().getName(), command.getCommand().getSubName(), command.getParams());
    }
  }
}
