package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.bootstrap.JedisScopes;
import net.bytebuddy.asm.Advice;

/**
 * A connection setting itself up ({@code AUTH}, {@code HELLO}, {@code CLIENT SETINFO},
 * {@code SELECT}): what it sends meanwhile are handshake commands, whose error replies the client
 * handles itself.
 */
public final class HandshakeAdvice {

  private HandshakeAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object connection) {
    JedisScopes.handshake(connection, true);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.This Object connection) {
    JedisScopes.handshake(connection, false);
  }
}
