package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Bounded waits for what a set of {@code redis-server} processes settles into (a cluster formed, a failover over):
 * the condition is asked every 50 ms, and a failed look counts as "not yet", since a node that is failing over may
 * refuse a moment.
 */
final class Settling {

  static final Duration LIMIT = Duration.ofSeconds(30);

  /** A look at the nodes; it may fail. */
  interface Check {
    boolean holds() throws IOException;
  }

  private Settling() {
  }

  /** Returns once {@code check} holds; after {@link #LIMIT}, throws with {@code context} (the nodes' logs, say). */
  static void await(String what, Check check, Supplier<String> context) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.holds()) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        last = e;
      }
      RedisProcess.sleep(50);
    }
    throw new IllegalStateException("not within " + LIMIT + ": " + what + context.get(), last);
  }
}
