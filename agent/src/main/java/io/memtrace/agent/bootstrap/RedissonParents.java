package io.memtrace.agent.bootstrap;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps a Redisson command's parent span when Redisson sends it from another thread than the one
 * that issued it. A Redisson executor ({@code RedisExecutor}) is run by the application's thread;
 * when its connection pool has a connection free, the command is sent right there, inside
 * {@code execute()}; when not, it is sent later by whichever thread frees one. For that case the
 * span current where {@code execute()} ran is kept, by executor, until its {@code sendCommand}
 * makes it current for the send. Nothing is kept for a command sent at once or issued outside any
 * span; entries are weak, so an executor that never sends (its connection never came) pins nothing.
 * A retry, run later by a timer, has no parent. Every method catches everything.
 */
public final class RedissonParents {

  private static final Map<Object, long[]> WAITING = Collections.synchronizedMap(new WeakHashMap<>());

  private RedissonParents() {
  }

  /** Entering {@code executor.execute()}; returns what {@link #executed} takes. */
  public static Object executing(Object executor) {
    try {
      ThreadContext context = ThreadContext.current();
      Object outer = context.redissonExecuting;
      context.redissonExecuting = executor;
      return outer;
    } catch (Throwable t) {
      Bridge.internalError(t);
      return null;
    }
  }

  /** Leaving {@code execute()}: a command not sent yet keeps the span current here. */
  public static void executed(Object executor, Object outer) {
    try {
      ThreadContext context = ThreadContext.current();
      if (context.redissonSentBy != executor && context.currentSpanId != 0 && Bridge.redisEnabled()) {
        WAITING.put(executor, new long[] {context.currentTraceIdHigh, context.currentTraceIdLow, context.currentSpanId});
      }
      context.redissonSentBy = null;
      context.redissonExecuting = outer;
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /**
   * Entering {@code executor.sendCommand}: on another thread than its {@code execute()}, the span
   * kept for it becomes current here. Returns what {@link #sent} takes.
   */
  public static Object sending(Object executor) {
    try {
      ThreadContext context = ThreadContext.current();
      if (context.redissonExecuting == executor) {
        context.redissonSentBy = executor;
        return null;
      }
      long[] parent = WAITING.isEmpty() ? null : WAITING.remove(executor);
      if (parent == null) {
        return null;
      }
      long[] here = {context.currentTraceIdHigh, context.currentTraceIdLow, context.currentSpanId};
      current(context, parent);
      return here;
    } catch (Throwable t) {
      Bridge.internalError(t);
      return null;
    }
  }

  /** Leaving {@code sendCommand}: the thread's own span is current again. */
  public static void sent(Object here) {
    if (here == null) {
      return;
    }
    try {
      current(ThreadContext.current(), (long[]) here);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Executors waiting with a parent kept, for tests. */
  static int waiting() {
    return WAITING.size();
  }

  private static void current(ThreadContext context, long[] ids) {
    context.currentTraceIdHigh = ids[0];
    context.currentTraceIdLow = ids[1];
    context.currentSpanId = ids[2];
  }
}
