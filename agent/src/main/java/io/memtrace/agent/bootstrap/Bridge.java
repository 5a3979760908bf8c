package io.memtrace.agent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The static facade between inlined advice and the agent. The agent installs its sink once at
 * start-up; until then, and whenever instrumentation is switched off, the hooks do nothing.
 */
public final class Bridge {

  private static volatile EventSink sink = EventSink.NO_OP;
  private static volatile boolean redisEnabled;
  private static volatile boolean methodsEnabled;

  /** Errors raised inside memtrace's own code on application threads. */
  private static final AtomicLong INTERNAL_ERRORS = new AtomicLong();
  private static final AtomicReference<Throwable> FIRST_INTERNAL_ERROR = new AtomicReference<>();

  /**
   * Test hook: when the system property {@code memtrace.test.inject-failure} is {@code true}, every
   * hook throws from inside memtrace's code, to prove the application never sees it.
   */
  static final boolean INJECT_FAILURE = Boolean.getBoolean("memtrace.test.inject-failure");

  private Bridge() {
  }

  public static void install(EventSink newSink, boolean redis, boolean methods) {
    sink = newSink;
    redisEnabled = redis;
    methodsEnabled = methods;
  }

  public static void uninstall() {
    redisEnabled = false;
    methodsEnabled = false;
    sink = EventSink.NO_OP;
  }

  static EventSink sink() {
    return sink;
  }

  static boolean redisEnabled() {
    return redisEnabled;
  }

  static boolean methodsEnabled() {
    return methodsEnabled;
  }

  /** Records a failure of memtrace's own code; the consumer thread logs the first one. */
  static void internalError(Throwable t) {
    INTERNAL_ERRORS.incrementAndGet();
    FIRST_INTERNAL_ERROR.compareAndSet(null, t);
  }

  public static long internalErrors() {
    return INTERNAL_ERRORS.get();
  }

  public static Throwable firstInternalError() {
    return FIRST_INTERNAL_ERROR.get();
  }
}
