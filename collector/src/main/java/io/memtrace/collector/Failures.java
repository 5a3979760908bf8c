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

  /*
   * Under an OutOfMemoryError anything that allocates may fail again, and that includes the first
   * use of a string literal, which the JVM creates then. So the texts of the fatal path are
   * created here, at class initialisation, as fields that are not compile-time constants (those
   * would be literals again at every use), and everything that may still allocate runs inside a
   * try whose finally halts.
   */
  private static final String LAST_WORDS = ("memtrace collector error: out of memory or a broken JVM in a thread that "
      + "ingest depends on; exiting with status " + EXIT_FATAL + " so that a supervisor restarts the collector").strip();
  private static final String ENDED = "it ended while the collector still needed it (out of memory while handling "
      .concat("an error?)");

  private static final AtomicLong UNEXPECTED = new AtomicLong();
  private static volatile IntConsumer exit = code -> Runtime.getRuntime().halt(code);
  /** Freed before the last message, so that it can be written after an OutOfMemoryError. */
  @SuppressWarnings("unused")
  private static volatile byte[] reserve = new byte[1 << 20];

  private Failures() {
  }

  /**
   * Makes a thread that dies of an uncaught throwable go through {@link #inThread}, and starts
   * watching the {@link CriticalThreads}.
   */
  public static void install() {
    Thread.setDefaultUncaughtExceptionHandler((thread, t) -> inThread(thread, t));
    CriticalThreads.startWatcher();
  }

  /** A critical thread ended while it was still needed. */
  static void ended(Thread thread) {
    UNEXPECTED.incrementAndGet();
    fatal(thread, null, ENDED);
  }

  /**
   * The current thread, a long-lived one, met {@code t}: logged and counted; fatal when it is a
   * {@link VirtualMachineError}. Called from a catch block, it allocates nothing before it halts.
   */
  public static void inThread(Throwable t) {
    inThread(Thread.currentThread(), t);
  }

  private static void inThread(Thread thread, Throwable t) {
    UNEXPECTED.incrementAndGet();
    if (t instanceof VirtualMachineError) {
      fatal(thread, t, null);
      return;
    }
    Log.error(thread.getName() + " failed unexpectedly and carries on", t);
  }

  /**
   * A request thread met {@code t} handling {@code request} (named by its toString): logged and
   * counted; fatal only for a JVM error other than memory or stack.
   */
  public static void inRequest(Object request, Throwable t) {
    UNEXPECTED.incrementAndGet();
    if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError) && !(t instanceof StackOverflowError)) {
      fatal(Thread.currentThread(), t, null);
      return;
    }
    try {
      Log.error(request + " failed unexpectedly; the collector carries on", t);
    } catch (Throwable stillFailing) {
      // the request's answer says it failed; the log line is a courtesy
    }
  }

  /** Logs what it can and halts; {@code what} describes the failure when there is no throwable. */
  private static void fatal(Thread thread, Throwable t, String what) {
    try {
      reserve = null; // room to build the message in, when the heap is what ran out
      Log.error(thread.getName() + ": " + (t != null ? t : what) + "; exiting with status " + EXIT_FATAL
          + " so that a supervisor restarts the collector", t);
    } catch (Throwable noMemoryEvenForThat) {
      try {
        System.err.println(LAST_WORDS);
      } catch (Throwable silent) {
        // the exit status still says it
      }
    } finally {
      exit.accept(EXIT_FATAL);
    }
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
