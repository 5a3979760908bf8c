package io.memtrace.agent.bootstrap;

/**
 * Called by the Jedis advice. Jedis writes a command with {@code sendCommand} and later reads its
 * reply with {@code readProtocolWithCheckingBroken}; a pipeline or transaction writes many and reads
 * them all inside {@code sync()} or {@code exec()}. A command becomes a span when its reply is read;
 * a batch becomes one span when its sync or exec returns.
 *
 * <p>Every method catches everything: nothing thrown here may reach the application.
 */
public final class RedisHooks {

  private RedisHooks() {
  }

  /**
   * A command was written (or failed to be written).
   *
   * @param command Jedis 4+: the {@code CommandArguments}; Jedis 3: the {@code ProtocolCommand}
   * @param args Jedis 3: the {@code byte[][]} arguments; Jedis 4+: {@code null}
   */
  public static void sent(Object connection, Object socket, Object command, Object args,
      long startNanos, Throwable error) {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      if (Bridge.INJECT_FAILURE) {
        throw new IllegalStateException("memtrace: injected failure in RedisHooks.sent");
      }
      ThreadContext context = ThreadContext.current();
      boolean queued = context.enqueue(connection, socket, command, args, startNanos);
      if (error != null && context.batchDepth == 0) {
        // no reply will come: the command ends here
        if (queued) {
          context.moveToHead(context.queued() - 1);
          publishHead(context, null, error);
        } else {
          context.consumeOverflow();
          Bridge.sink().countDropped(1);
        }
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** A reply (or an error reply, or a broken connection) was read. */
  public static void replied(Object connection, Object reply, Throwable error) {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      if (Bridge.INJECT_FAILURE) {
        throw new IllegalStateException("memtrace: injected failure in RedisHooks.replied");
      }
      ThreadContext context = ThreadContext.current();
      if (context.batchDepth > 0) {
        if (error != null && context.batchErrors++ == 0) {
          context.batchFirstError = error;
        }
        return;
      }
      int stale = context.discardStaleFor(connection);
      if (stale > 0) {
        Bridge.sink().countDropped(stale);
      }
      if (context.queued() == 0) {
        // a reply to an overflowed send, a pub/sub message, or a command sent before attach
        context.consumeOverflow();
        return;
      }
      publishHead(context, reply, error);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Entering {@code sync()}, {@code exec()} or {@code discard()}. */
  public static void batchStarted() {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      ThreadContext context = ThreadContext.current();
      if (context.batchDepth++ == 0) {
        context.batchStartNanos = System.nanoTime();
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Leaving {@code sync()}, {@code exec()} or {@code discard()}; the outermost call publishes. */
  public static void batchEnded(String method, Throwable error) {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      ThreadContext context = ThreadContext.current();
      if (context.batchDepth == 0 || --context.batchDepth > 0) {
        return;
      }
      try {
        if (context.queued() > 0 || context.overflow() > 0) {
          context.stage(null, error, method, System.nanoTime());
          Bridge.sink().publishRedisBatch(context);
        }
      } finally {
        context.unstage();
        context.clearQueue();
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  private static void publishHead(ThreadContext context, Object reply, Throwable error) {
    try {
      context.stage(reply, error, null, System.nanoTime());
      Bridge.sink().publishRedisCommand(context);
    } finally {
      context.unstage();
      context.dropHead();
    }
  }
}
