package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import java.util.Queue;
import net.bytebuddy.asm.Advice;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.WriteRedisConnectionException;
import org.redisson.client.handler.CommandsQueue;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.CommandsData;
import org.redisson.client.protocol.QueueCommand;
import org.redisson.client.protocol.QueueCommandHolder;

/**
 * {@code CommandsQueue.channelInactive}: the channel closed (the server or Sentinel's {@code CLIENT KILL}
 * dropped it, or Redisson closed it, as it closes every connection to a primary it leaves after a failover).
 * Redisson takes every command still waiting in the channel's queue out of it, blocking ones aside (it sends
 * those again on another connection), and fails only its write, which for a command written already does
 * nothing: that attempt's promise waits for the response timeout, and Redisson then gives it up and retries it,
 * but never fails the command itself. No reply can come on a closed channel, so each of them ends here, with the
 * connection's failure: a {@code WriteRedisConnectionException} for one not written yet (what Redisson fails its
 * write with), a {@code RedisConnectionException} for one that waited for its reply. One answered or ended
 * already publishes nothing more ({@link RedissonHooks#completing}).
 */
public final class ChannelClosedAdvice {

  private ChannelClosedAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) ChannelHandlerContext ctx) {
    Queue<QueueCommandHolder> queue = ctx.channel().attr(CommandsQueue.COMMANDS_QUEUE).get();
    for (QueueCommandHolder holder : queue) {
      QueueCommand queued = holder.getCommand();
      if (queued.isBlockingCommand()) {
        continue;
      }
      RedisConnectionException closed = holder.getChannelPromise().isSuccess()
          ? new RedisConnectionException("Channel has been closed before the reply. channel: " + ctx.channel())
          : new WriteRedisConnectionException("Channel has been closed before the write. channel: " + ctx.channel());
      List<CommandData<?, ?>> commands = queued instanceof CommandsData ? ((CommandsData) queued).getCommands()
          : queued instanceof CommandData ? List.of((CommandData<?, ?>) queued) : List.of();
      for (CommandData<?, ?> command : commands) {
        RedissonHooks.completing(command, RedissonHooks.answered(command.getPromise()),
            RedissonHooks.failure(command.getPromise(), closed),
            command.getCommand().getName(), command.getCommand().getSubName(), command.getParams());
      }
    }
  }
}
