package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.bootstrap.JedisScopes;
import net.bytebuddy.asm.Advice;

/**
 * The loop of a pub/sub listener that reads the subscription's replies: some are pushed messages
 * that answer no command, and a subscribe is confirmed once per channel.
 */
public final class PubSubLoopAdvice {

  private PubSubLoopAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter() {
    JedisScopes.pubSubLoop(true);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit() {
    JedisScopes.pubSubLoop(false);
  }
}
