package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import io.netty.channel.ChannelPromise;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.redisson.client.WriteRedisConnectionException;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.CommandsData;

/**
 * {@code CommandsQueue.write(ctx, msg, promise)}, on the channel's event loop: Redisson queues the command for its
 * reply and has Netty write and flush it, which fails at once when the channel has closed since
 * {@code RedisConnection.send} handed the command over (after {@link SendAdvice} looked at it), or when the flush
 * fails as the connection breaks. Redisson's listener on the write then takes the command out of the queue, so
 * {@link ChannelClosedAdvice} never meets it, and fails only the write: its executor gives the attempt up and
 * retries it, and nothing fails the command. It ends here, with a {@code WriteRedisConnectionException} caused by
 * the write's failure.
 */
public final class WriteFailedAdvice {

  private WriteFailedAdvice() {
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Argument(1) Object message, @Advice.Argument(2) ChannelPromise written) {
    Throwable cause = written.cause();
    if (cause == null) {
      return;
    }
    List<CommandData<?, ?>> commands = message instanceof CommandsData ? ((CommandsData) message).getCommands()
        : message instanceof CommandData ? List.of((CommandData<?, ?>) message) : List.of();
    Throwable failed = new WriteRedisConnectionException("The command could not be written. channel: "
        + written.channel(), cause);
    for (CommandData<?, ?> command : commands) {
      RedissonHooks.completing(command, RedissonHooks.answered(command.getPromise()),
          RedissonHooks.failure(command.getPromise(), failed),
          command.getCommand().getName(), command.getCommand().getSubName(), command.getParams());
    }
  }
}
