package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.bootstrap.RedisHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.flush()}: Jedis buffers what it sends and flushes before it reads. A flush that throws (a
 * broken pipe, a TLS handshake the client refuses) leaves the commands still pending unwritten, with no reply to
 * come; the caller gets that exception.
 */
public final class FlushAdvice {

  private FlushAdvice() {
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
    RedisHooks.unwritten(connection, thrown);
  }
}
