package io.memtrace.bench;

import java.lang.reflect.Method;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Makes sure a forked benchmark JVM is what the comparison claims: in the agent run, memtrace is
 * attached and its advice really runs inside {@code Connection.sendCommand}; in the baseline run,
 * it is absent. Without this, a silently failed attach would show as "no overhead".
 */
final class AgentCheck {

  private static final String BRIDGE = "io.memtrace.agent.bootstrap.Bridge";
  private static final String THREAD_CONTEXT = "io.memtrace.agent.bootstrap.ThreadContext";

  private AgentCheck() {
  }

  static void verify(Jedis jedis, String expected) {
    boolean attached = isAttached();
    if (expected != null && Boolean.parseBoolean(expected) != attached) {
      throw new IllegalStateException("this benchmark JVM was meant to run "
          + (attached ? "without" : "with") + " the memtrace agent, but the agent is "
          + (attached ? "attached" : "not attached"));
    }
    if (!attached) {
      return;
    }
    // memtrace remembers a sent command on the thread until its reply is read: send a PING, look
    // at the queue, then read the (canned) reply so the connection stays in step
    int queued;
    try {
      jedis.getConnection().sendCommand(Protocol.Command.PING);
      queued = queuedOnThisThread();
    } finally {
      jedis.getConnection().getOne();
    }
    if (queued < 1) {
      throw new IllegalStateException("the memtrace agent is attached but did not record a Jedis "
          + "command: redis.clients.jedis.Connection is not instrumented (is Redis tracing off?)");
    }
  }

  private static boolean isAttached() {
    try {
      Class.forName(BRIDGE, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static int queuedOnThisThread() {
    try {
      Class<?> type = Class.forName(THREAD_CONTEXT, true, null);
      Object context = type.getMethod("current").invoke(null);
      Method queued = type.getMethod("queued");
      return (Integer) queued.invoke(context);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot inspect memtrace's thread context: " + e, e);
    }
  }
}
