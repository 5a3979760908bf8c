package io.memtrace.collector;

import java.util.Arrays;

/**
 * The threads {@code serve} cannot run without (store writer, compactor, HTTP front, forwarder), watched
 * from a thread of their own. An OutOfMemoryError can strike again while a thread handles the
 * first one, even at the call of its handler, and then the thread just ends; so besides each
 * thread reporting its own failure ({@link Failures}), the watcher notices one that ended
 * while it was still needed and exits the process with {@link Failures#EXIT_FATAL}.
 * The watcher allocates nothing while it watches.
 */
public final class CriticalThreads {

  private static final long PERIOD_MILLIS = 100;

  private static volatile Thread[] watched = new Thread[0];

  private CriticalThreads() {
  }

  /** Watches {@code thread}, which must be started already, until it is {@link #retire retired}. */
  public static synchronized void watch(Thread thread) {
    Thread[] more = Arrays.copyOf(watched, watched.length + 1);
    more[more.length - 1] = thread;
    watched = more;
  }

  /** Stops watching {@code thread}; called before it is asked to end. */
  public static synchronized void retire(Thread thread) {
    watched = Arrays.stream(watched).filter(t -> t != thread).toArray(Thread[]::new);
  }

  /** Starts the watcher (in {@code serve}; tests that start and stop stores do without); interrupting it stops it. */
  static Thread startWatcher() {
    Thread watcher = new Thread(CriticalThreads::run, "memtrace-watchdog");
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }

  private static void run() {
    while (true) {
      Thread[] threads = watched;
      for (int i = 0; i < threads.length; i++) {
        if (!threads[i].isAlive() && watched == threads) {
          Failures.ended(threads[i]);
        }
      }
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
