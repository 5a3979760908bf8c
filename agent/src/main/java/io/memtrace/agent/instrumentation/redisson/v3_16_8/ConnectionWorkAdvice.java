package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import io.memtrace.agent.bootstrap.RedissonHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code RedisConnection.async(long, Codec, RedisCommand, Object...)}, where every other
 * {@code async} of a connection ends, and {@code sync(Codec, RedisCommand, Object...)}, where
 * every {@code sync} does: Redisson's own work on the connection (its set-up, keep-alive
 * {@code PING}s, a cluster's {@code CLUSTER NODES}, its pub/sub checks), not the application's
 * commands, which its executors send.
 */
public final class ConnectionWorkAdvice {

  private ConnectionWorkAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter() {
    RedissonHooks.settingUp();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit() {
    RedissonHooks.setUp();
  }
}
