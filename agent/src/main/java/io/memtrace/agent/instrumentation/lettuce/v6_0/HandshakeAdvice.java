package io.memtrace.agent.instrumentation.lettuce.v6_0;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.memtrace.agent.bootstrap.LettuceHooks;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/**
 * {@code RedisHandshake.dispatch(Channel, ...)}: what a connection sends to set itself up
 * ({@code HELLO} or {@code AUTH}, {@code CLIENT SETNAME/SETINFO}, {@code SELECT}), written
 * straight to its channel, one command or a list of them. Their connection is the channel. Beside
 * an OpenTelemetry agent that started first, its Lettuce tracing is kept from starting spans for
 * them too (the write runs here, on the channel's event loop).
 */
public final class HandshakeAdvice {

  private HandshakeAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.Argument(0) Object channel, @Advice.Argument(1) Object sent) {
    if (sent instanceof RedisCommand) {
      LettuceHooks.handshakeDispatched(channel, CommandWrapper.unwrap((RedisCommand<?, ?, ?>) sent));
    } else if (sent instanceof Collection) {
      for (Object each : (Collection<?>) sent) {
        LettuceHooks.handshakeDispatched(channel, CommandWrapper.unwrap((RedisCommand<?, ?, ?>) each));
      }
    }
    return LettuceHooks.suppressOtherSpans();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object otelScope) {
    LettuceHooks.endSuppression(otelScope);
  }
}
