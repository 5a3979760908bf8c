package io.memtrace.collector;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * What happens when a thread of {@code serve} meets a throwable nobody expected. No thread may
 * die silently: a dead writer or dispatcher used to leave a process that accepted connections and
 * never answered, which no supervisor notices.
 *
 * <ul>
 *   <li>Everything is logged with its stack trace and counted ({@link #count}, in {@code /api/status}).
 *   <li>A long-lived thread (store writer, compactor, HTTP dispatcher, forwarder, time series) that
 *       meets a {@link VirtualMachineError}, an {@link OutOfMemoryError} above all, cannot be trusted
 *       to go on: the process exits at once with {@link #EXIT_FATAL} so that a supervisor restarts
 *       it. Nothing acknowledged is lost: every 200 was sent after its commit reached the log.
 *   <li>Any other throwable is that piece of work's failure; the thread carries on.
 *   <li>A request thread that runs out of memory or stack fails that request only: what the
 *       request allocated is garbage once it is answered.
 * </ul>
 */
public final class Failures {

  /** The exit status when the process cannot go on (EX_SOFTWARE). */
  public static final int EXIT_FATAL = 70;

  private static final AtomicLong UNEXPECTED = new AtomicLong();
  /** Preformatted: under an OutOfMemoryError even building a message may fail. */
  private static final String LAST_WORDS = "memtrace collector error: out of memory or a broken JVM in a thread that "
      + "ingest depends on; exiting with status " + EXIT_FATAL + " so that a supervisor restarts the collector";
  private static volatile IntConsumer exit = code -> Runtime.getRuntime().halt(code);

  private Failures() {
  }

  /** Makes a thread that dies of an uncaught throwable go through {@link #inThread}. */
  public static void install() {
    Thread.setDefaultUncaughtExceptionHandler((thread, t) -> inThread(thread.getName(), t));
  }

  /** A long-lived thread met {@code t}: logged and counted; fatal when it is a {@link VirtualMachineError}. */
  public static void inThread(String thread, Throwable t) {
    UNEXPECTED.incrementAndGet();
    if (t instanceof VirtualMachineError) {
      fatal(thread, t);
      return;
    }
    Log.error(thread + " failed unexpectedly and carries on", t);
  }

  /** A request thread met {@code t}: logged and counted; fatal only for a JVM error other than memory or stack. */
  public static void inRequest(String request, Throwable t) {
    UNEXPECTED.incrementAndGet();
    if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError) && !(t instanceof StackOverflowError)) {
      fatal(request, t);
      return;
    }
    try {
      Log.error(request + " failed unexpectedly; the collector carries on", t);
    } catch (Throwable stillFailing) {
      // the request's answer says it failed; the log line is a courtesy
    }
  }

  private static void fatal(String where, Throwable t) {
    try {
      Log.error(where + ": " + t + "; exiting with status " + EXIT_FATAL + " so that a supervisor restarts the collector", t);
    } catch (Throwable noMemoryEvenForThat) {
      System.err.println(LAST_WORDS);
    }
    exit.accept(EXIT_FATAL);
  }

  /** Unexpected throwables since start. */
  public static long count() {
    return UNEXPECTED.get();
  }

  /** For tests: what "exit" does instead of halting the JVM; returns the previous action. */
  public static IntConsumer exitWith(IntConsumer action) {
    IntConsumer previous = exit;
    exit = action;
    return previous;
  }
}
