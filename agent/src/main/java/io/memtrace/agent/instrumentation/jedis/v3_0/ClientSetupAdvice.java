package io.memtrace.agent.instrumentation.jedis.v3_0;

import io.memtrace.agent.bootstrap.JedisScopes;
import net.bytebuddy.asm.Advice;

/**
 * Jedis 3: {@code BinaryJedis.initializeFromClientConfig}, which authenticates, selects the
 * database and names the client on the connection it holds in {@code client}.
 */
public final class ClientSetupAdvice {

  private ClientSetupAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.FieldValue("client") Object connection) {
    JedisScopes.handshake(connection, true);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.FieldValue("client") Object connection) {
    JedisScopes.handshake(connection, false);
  }
}
