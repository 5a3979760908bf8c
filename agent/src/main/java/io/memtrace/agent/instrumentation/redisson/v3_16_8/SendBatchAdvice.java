package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import io.netty.channel.ChannelFuture;
import net.bytebuddy.asm.Advice;
import org.redisson.client.WriteRedisConnectionException;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.CommandsData;

/**
 * {@code RedisConnection.send(CommandsData)}: a batch ({@code RBatch}, or {@code ASKING} and the
 * command it lets through), each command with its own start and its own reply. In an atomic
 * batch the commands between {@code MULTI} and {@code EXEC} are queued: the transaction is one span.
 * A batch handed to a closed channel ends as {@code SendAdvice} says.
 */
public final class SendBatchAdvice {

  private SendBatchAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object connection, @Advice.FieldValue("channel") Object channel,
      @Advice.Argument(0) CommandsData batch) {
    for (CommandData<?, ?> each : batch.getCommands()) {
      RedissonHooks.sentInBatch(connection, channel, each, batch.isAtomic(), each.getCommand().getName());
    }
    return RedissonHooks.suppressOtherSpans();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Argument(0) CommandsData batch,
      @Advice.Return ChannelFuture written, @Advice.Thrown Throwable thrown, @Advice.Enter Object scope) {
    RedissonHooks.endSuppression(scope);
    if (thrown != null) {
      for (CommandData<?, ?> each : batch.getCommands()) {
        RedissonHooks.sendFailed(each, thrown);
      }
    } else if (written.cause() != null || !written.isDone() && !written.channel().isActive()) {
      Throwable closed = new WriteRedisConnectionException("Channel has been closed before the write. channel: "
          + written.channel(), written.cause());
      for (CommandData<?, ?> each : batch.getCommands()) {
        RedissonHooks.completing(each, RedissonHooks.answered(each.getPromise()),
            RedissonHooks.failure(each.getPromise(), closed),
            each.getCommand().getName(), each.getCommand().getSubName(), each.getParams());
      }
    }
  }
}
