package io.memtrace.agent.bootstrap;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps a Redisson command's parent span when Redisson sends it from another thread than the one
 * that issued it. A Redisson executor ({@code RedisExecutor}) is run by the application's thread;
 * when its connection pool has a connection free, the command is sent right there, inside
 * {@code execute()}; when not, it is sent later by whichever thread frees one, possibly before
 * {@code execute()} has returned. So the span current where {@code execute()} began is kept, by
 * executor, from then until its {@code sendCommand} takes it: on that thread it is dropped, on
 * another it is made current for the send. Nothing is kept for a command issued outside any span;
 * entries are weak, so an executor that never sends (its connection never came) pins nothing.
 * A retry (after a {@code MOVED}, an {@code ASK}, a timeout) is sent from Redisson's event loop or
 * timer, where no span is current: {@link #sending} names its executor on the thread for the send,
 * and the consumer gives it the parent of that executor's failed attempt ({@code RetriedParents}).
 * Every method catches everything.
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
      // kept before the executor can ask for a connection: a thread that frees one may send the command while this
      // thread is still inside execute(), and must find its parent already here
      if (context.currentSpanId != 0 && Bridge.redisEnabled()) {
        WAITING.put(executor, new long[] {context.currentTraceIdHigh, context.currentTraceIdLow, context.currentSpanId});
      }
      return outer;
    } catch (Throwable t) {
      Bridge.internalError(t);
      return null;
    }
  }

  /**
   * Leaving {@code execute()}: a command sent here or by another thread took its parent back; one not sent yet keeps
   * the span that was current here.
   */
  public static void executed(Object executor, Object outer) {
    try {
      ThreadContext context = ThreadContext.current();
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
      context.redissonSending = executor;
      if (context.redissonExecuting == executor) {
        context.redissonSentBy = executor;
        if (!WAITING.isEmpty()) {
          WAITING.remove(executor);
        }
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
    try {
      ThreadContext context = ThreadContext.current();
      context.redissonSending = null;
      if (here != null) {
        current(context, (long[]) here);
      }
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
