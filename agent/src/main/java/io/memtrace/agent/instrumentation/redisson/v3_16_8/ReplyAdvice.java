package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import io.netty.buffer.ByteBuf;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.redisson.client.protocol.CommandData;

/**
 * {@code CommandDecoder.decode(ByteBuf, CommandData, List parts, ...)} for a command's whole reply
 * ({@code parts} null; elements of an aggregate come with their list): Redisson has read the
 * reply's every byte (a replaying decoder skips it whole first), and is about to decode it with
 * the application's codec. The reply is measured here, on the wire.
 */
public final class ReplyAdvice {

  private ReplyAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) ByteBuf in, @Advice.Argument(1) CommandData<?, ?> command,
      @Advice.Argument(2) List<?> parts) {
    if (parts == null && command != null) {
      RedissonHooks.replyRead(command, command.getPromise().isDone(),
          in.nioBuffer(in.readerIndex(), in.writerIndex() - in.readerIndex()));
    }
  }
}
