package io.memtrace.agent.instrumentation.jedis.v4_0;

import io.memtrace.agent.bootstrap.JedisScopes;
import net.bytebuddy.asm.Advice;

/**
 * Jedis 4+: {@code Connection.getMany(int)}, the replies of one connection's part of a pipeline. A cluster pipeline
 * reads each node's part on a worker thread, where it is a batch of its own (one span per node); inside
 * {@code sync()} or {@code exec()} it only nests; while the connection sets itself up (Jedis 7 reads its handshake
 * this way) it is no batch, so the hidden handshake commands still reach the consumer one by one.
 */
public final class GetManyAdvice {

  private GetManyAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static boolean enter(@Advice.This Object connection) {
    return JedisScopes.repliesStarted(connection);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter boolean batch, @Advice.Thrown Throwable thrown) {
    if (batch) {
      JedisScopes.batchEnded("getMany", thrown);
    }
  }
}
