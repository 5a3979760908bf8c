package io.memtrace.agent;

import io.memtrace.agent.util.AgentLog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How long a class the {@link StartupGate} holds waits for memtrace's install: as long as the thread installing keeps
 * getting on with it, up to {@link #MAX_MILLIS}, and no longer once it has not for {@link #STALL_MILLIS}. A fixed wait
 * of 10 s let an application's main class load untraced when a machine starved the install of CPU (24.5 s for what
 * takes under a second, one core shared with a busy loop), while a wait with no end would hang the application on an
 * install that is stuck (two agents' class loading locks held against each other).
 *
 * <p>A thread gets on with it while it is runnable, whether or not a core runs it at the moment: the look is
 * {@link Thread#getState()}, which loads nothing (the JVM's per-thread CPU time took about 230 classes and 20-50 ms the
 * first time, on the very starts this is for). A thread blocked on a lock or waiting is not getting on.
 */
final class InstallWait {

  /** The longest a held class waits for an install that is not getting on before it loads untraced. */
  static final long STALL_MILLIS = 10_000;
  /** The longest a held class waits at all, however the install gets on. */
  static final long MAX_MILLIS = 60_000;
  /** The longest between two looks at the installing thread. */
  private static final long LOOK_MILLIS = 200;

  private final long stallMillis;
  private final long maxMillis;
  private volatile Thread installer;

  InstallWait() {
    this(STALL_MILLIS, MAX_MILLIS);
  }

  InstallWait(long stallMillis, long maxMillis) {
    this.stallMillis = stallMillis;
    this.maxMillis = maxMillis;
  }

  /** {@code thread} does what the held classes wait for, from now on: the start thread, then the rules' installer. */
  void installing(Thread thread) {
    installer = thread;
  }

  /** Waits for {@code latch} to open, or gives up as the class says, then warns once that {@code className} loads. */
  void await(CountDownLatch latch, String className) {
    long look = Math.max(1, Math.min(LOOK_MILLIS, stallMillis / 5));
    long began = System.nanoTime();
    long lastProgress = began;
    try {
      while (!latch.await(look, TimeUnit.MILLISECONDS)) {
        long now = System.nanoTime();
        Thread thread = installer; // read at each look: the rules' installer may take over from the start thread
        // the installing thread, held itself, always looks runnable to itself, and gets on with nothing
        if (thread != null && thread != Thread.currentThread() && thread.getState() == Thread.State.RUNNABLE) {
          lastProgress = now;
        }
        boolean stalled = now - lastProgress >= TimeUnit.MILLISECONDS.toNanos(stallMillis);
        if (stalled || now - began >= TimeUnit.MILLISECONDS.toNanos(maxMillis)) {
          AgentLog.warnOnce("startup-gate", "memtrace was not ready after " + TimeUnit.NANOSECONDS.toMillis(now - began)
              + " ms (" + (stalled ? "its start had not got on for " + stallMillis + " ms" : "the limit") + "); "
              + className.replace('/', '.') + " loads now and may not be traced", null);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
