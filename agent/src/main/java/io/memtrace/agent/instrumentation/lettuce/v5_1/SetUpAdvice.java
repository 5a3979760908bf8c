package io.memtrace.agent.instrumentation.lettuce.v5_1;

import io.memtrace.agent.bootstrap.LettuceHooks;
import net.bytebuddy.asm.Advice;

/**
 * A step of Lettuce 5's connection set-up (a lambda of {@code RedisClient.connectStatefulAsync},
 * {@code StatefulRedisConnectionImpl.activated()}): the commands it dispatches are the client's
 * own handshake, not the application's.
 */
public final class SetUpAdvice {

  private SetUpAdvice() {
  }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static int enter() {
    return LettuceHooks.settingUp();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter int depth) {
    LettuceHooks.setUpDone(depth);
  }
}
