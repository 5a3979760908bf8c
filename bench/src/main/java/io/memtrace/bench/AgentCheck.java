package io.memtrace.bench;

import io.memtrace.bench.memory.DocumentMemory;
import java.lang.reflect.Method;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Makes sure a forked benchmark JVM is what the comparison claims: in the agent run, memtrace is
 * attached and its advice really runs inside {@code Connection.sendCommand}; in the baseline run,
 * it is absent. Without this, a silently failed attach would show as "no overhead".
 * {@link #verifyMemoryManager} also makes sure the agent loaded {@code memtrace-bench.yaml} and
 * that its rules really turn {@link DocumentMemory} calls into spans.
 */
final class AgentCheck {

  private static final String BRIDGE = "io.memtrace.agent.bootstrap.Bridge";
  private static final String THREAD_CONTEXT = "io.memtrace.agent.bootstrap.ThreadContext";
  private static final String REDIS_HOOKS = "io.memtrace.agent.bootstrap.RedisHooks";

  private AgentCheck() {
  }

  static void verify(Jedis jedis, String expected) {
    if (!matchesExpectation(expected)) {
      return;
    }
    // memtrace remembers a sent command on its connection until its reply is read: send a PING,
    // look at the connection's pending commands, then read the (canned) reply so it stays in step
    long queued;
    try {
      jedis.getConnection().sendCommand(Protocol.Command.PING);
      queued = pendingOn(jedis.getConnection());
    } finally {
      jedis.getConnection().getOne();
    }
    if (queued < 1) {
      throw new IllegalStateException("the memtrace agent is attached but did not record a Jedis "
          + "command: redis.clients.jedis.Connection is not instrumented (is Redis tracing off?)");
    }
  }

  /**
   * Fails unless the agent's presence is what {@code expected} says ({@code "true"} or
   * {@code "false"}; null expects nothing); returns whether it is attached.
   */
  private static boolean matchesExpectation(String expected) {
    boolean attached = isAttached();
    if (expected != null && Boolean.parseBoolean(expected) != attached) {
      throw new IllegalStateException("this benchmark JVM was meant to run "
          + (attached ? "without" : "with") + " the memtrace agent, but the agent is "
          + (attached ? "attached" : "not attached"));
    }
    return attached;
  }

  /**
   * As {@link #verify}, for a client whose commands memtrace traces in two events (a start and an
   * end, as Lettuce's): with the agent, {@code command} must put both into its ring (or count them
   * dropped), so instrumentation that silently did not apply fails the fork.
   */
  static void verifyTraced(String what, Runnable command, String expected) throws InterruptedException {
    verifyTraced(what, command, 2, expected);
  }

  /**
   * As {@link #verifyTraced(String, Runnable, String)}, for {@code command} that sends several commands: with the
   * agent it must put at least {@code minEvents} events into the ring (or count them dropped).
   */
  static void verifyTraced(String what, Runnable command, long minEvents, String expected)
      throws InterruptedException {
    if (!matchesExpectation(expected)) {
      command.run();
      return;
    }
    AgentCounters counters = AgentCounters.awaitAgent(5_000);
    long before = counters.published() + counters.dropped();
    command.run();
    long events = counters.published() + counters.dropped() - before;
    if (counters.published() < 0 || counters.dropped() < 0) {
      throw new IllegalStateException("the memtrace agent is attached but its ring counters were not found");
    }
    if (events < minEvents) {
      throw new IllegalStateException("the memtrace agent is attached but published " + events
          + " event(s) for " + what + " instead of at least " + minEvents + ": is it instrumented?");
    }
  }

  /**
   * In the agent run: the configuration took (memtrace's method rules are on) and each
   * {@link DocumentMemory} method runs inside a memory span, that is, the Redis command it sends
   * sees a current span on its thread, and there is none again once the call returned. A config
   * file that was not found, did not parse, or whose rules did not match the class fails the fork.
   */
  static void verifyMemoryManager(String expected) {
    if (!isAttached() || "false".equals(expected)) {
      return; // verify(...) already failed a JVM whose agent does not match expectations
    }
    if (!methodsEnabled()) {
      throw new IllegalStateException("the memtrace agent is attached but its method rules are "
          + "off: the configuration (memtrace-bench.yaml or -Dbench.config) did not take (see "
          + "the [memtrace] ERROR lines above; was -javaagent:...=config=PATH passed?)");
    }
    long before = currentSpanId();
    try (SpanProbe setProbe = new SpanProbe("+OK\r\n");
        SpanProbe getProbe = new SpanProbe("$5\r\nhello\r\n")) {
      new DocumentMemory(setProbe).store("probe", "value", MemoryManagerBench.OPTIONS);
      new DocumentMemory(getProbe).retrieve("probe", MemoryManagerBench.PARTITION);
      check("store", setProbe.spanId, before);
      check("retrieve", getProbe.spanId, before);
    }
  }

  private static void check(String method, long spanInside, long before) {
    if (spanInside == 0 || spanInside == before) {
      throw new IllegalStateException("the memtrace agent is attached with method rules, but "
          + DocumentMemory.class.getName() + "." + method + " did not open a memory span: "
          + "the agent's configuration (memtrace-bench.yaml or -Dbench.config) does not "
          + "instrument it");
    }
    long after = currentSpanId();
    if (after != before) {
      throw new IllegalStateException("the memory span of " + DocumentMemory.class.getSimpleName()
          + "." + method + " is still current after the call returned");
    }
  }

  /** A Jedis that remembers memtrace's current span id on this thread when SET or GET is sent. */
  private static final class SpanProbe extends Jedis {
    long spanId = -1;

    SpanProbe(String reply) {
      super(FakeRedisSocket.factory(reply));
    }

    @Override
    public String set(String key, String value) {
      spanId = currentSpanId();
      return super.set(key, value);
    }

    @Override
    public String get(String key) {
      spanId = currentSpanId();
      return super.get(key);
    }
  }

  private static boolean methodsEnabled() {
    try {
      Method enabled = Class.forName(BRIDGE, true, null).getDeclaredMethod("methodsEnabled");
      enabled.setAccessible(true);
      return (Boolean) enabled.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read memtrace's Bridge.methodsEnabled(): " + e, e);
    }
  }

  private static long currentSpanId() {
    try {
      Class<?> type = Class.forName(THREAD_CONTEXT, true, null);
      Object context = type.getMethod("current").invoke(null);
      return (Long) type.getMethod("currentSpanId").invoke(context);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot inspect memtrace's thread context: " + e, e);
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

  private static long pendingOn(Object connection) {
    try {
      Method pending = Class.forName(REDIS_HOOKS, true, null).getMethod("pending", Object.class);
      return (Long) pending.invoke(null, connection);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot inspect memtrace's pending Redis commands: " + e, e);
    }
  }
}
