package io.memtrace.agent.bootstrap;

/**
 * Called by the Jedis advice around the methods that change how the replies a thread reads are taken: a batch
 * ({@code sync()}, {@code exec()}, a read of several replies), whose replies become one span when the outermost batch
 * method returns; Jedis 3's {@code multi()}, which reads the MULTI reply; the pub/sub loop, where replies may be
 * pushed messages; and a connection's set-up (AUTH, HELLO, SETINFO...), whose commands stay single. Also keeps the
 * OpenTelemetry agent's Jedis span from starting where memtrace makes the span. The commands themselves go through
 * {@link RedisHooks}.
 *
 * <p>Every method catches everything: nothing thrown here may reach the application.
 */
public final class JedisScopes {

  private JedisScopes() {
  }

  /**
   * Entering a command write or a batch method: keeps the OpenTelemetry agent's Jedis span from
   * starting (see {@link OtelSuppressor}).
   *
   * @return what {@link #endSuppression} takes on the way out; {@code null} when nothing is suppressed
   */
  public static Object suppressOtherSpans() {
    return Bridge.redisEnabled() ? OtelSuppressor.suppress(OtelSuppressor.Client.JEDIS) : null;
  }

  /** Leaving what {@link #suppressOtherSpans} entered. */
  public static void endSuppression(Object scope) {
    OtelSuppressor.restore(OtelSuppressor.Client.JEDIS, scope);
  }

  /** Entering {@code sync()}, {@code exec()}, {@code discard()} or the like. */
  public static void batchStarted() {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      RedisBatch batch = ThreadContext.current().redisBatch;
      if (batch.depth++ == 0) {
        batch.begin(System.nanoTime());
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /**
   * Entering a read of several replies of {@code connection} (Jedis's {@code getMany}): a batch, like
   * {@link #batchStarted}, unless the connection is setting itself up, whose commands stay single.
   *
   * @return whether a batch was entered, to be left with {@link #batchEnded}
   */
  public static boolean repliesStarted(Object connection) {
    if (!Bridge.redisEnabled()) {
      return false;
    }
    try {
      PendingCommands pending = RedisHooks.pendingOf(ThreadContext.current(), connection, false);
      if (pending != null && pending.inHandshake()) {
        return false;
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
      return false;
    }
    batchStarted();
    return true;
  }

  /** Leaving a batch method; the outermost publishes what was read inside as one span. */
  public static void batchEnded(String method, Throwable thrown) {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      ThreadContext context = ThreadContext.current();
      RedisBatch batch = context.redisBatch;
      if (batch.depth == 0 || --batch.depth > 0) {
        return;
      }
      try {
        if (!batch.isEmpty()) {
          batch.end(method, thrown, System.nanoTime());
          Bridge.sink().publishRedisBatch(context);
        }
      } finally {
        batch.clear();
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Entering (true) or leaving (false) Jedis 3's {@code multi()}, which reads the MULTI reply. */
  public static void transactionOpening(boolean entering) {
    try {
      ThreadContext context = ThreadContext.current();
      if (entering) {
        context.openingTransaction++;
      } else if (context.openingTransaction > 0) {
        context.openingTransaction--;
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Entering (true) or leaving (false) Jedis's pub/sub loop, where replies may be pushed messages. */
  public static void pubSubLoop(boolean entering) {
    try {
      ThreadContext context = ThreadContext.current();
      if (entering) {
        context.pubSubDepth++;
      } else if (context.pubSubDepth > 0) {
        context.pubSubDepth--;
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Entering (true) or leaving (false) the set-up of {@code connection} (AUTH, HELLO, SETINFO...). */
  public static void handshake(Object connection, boolean entering) {
    if (!Bridge.redisEnabled() || connection == null) {
      return;
    }
    try {
      PendingCommands pending = RedisHooks.pendingOf(ThreadContext.current(), connection, entering);
      if (entering) {
        pending.handshakeDepth++;
      } else if (pending != null && pending.handshakeDepth > 0) {
        pending.handshakeDepth--;
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }
}
