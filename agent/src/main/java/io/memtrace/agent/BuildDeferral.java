package io.memtrace.agent;

import io.memtrace.agent.pipeline.SpanRing;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * When the start thread builds the consumer, the exporters and the OpenTelemetry SDK behind them: at the first event,
 * or contained failure, to report; without one, once the application has stopped loading classes. They are a few
 * hundred classes: built at once, they took a core from the application's first Redis command, which does not need
 * them (its event waits in the ring, and beyond it in the start-up overflow), and built after a fixed second they
 * took it from the middle of a Spring Boot app's start. A JVM that exits meanwhile with something to report has them
 * built within a few milliseconds (its shutdown hook waits for them); one that recorded nothing never builds them.
 */
final class BuildDeferral {

  /** The least the build waits for an event. */
  static final long MIN_MILLIS = 1_000;
  /** How long the application must have loaded no class before the build goes ahead without an event. */
  static final long QUIET_MILLIS = 300;
  /** The most the build waits for an event or a quiet application. */
  static final long MAX_MILLIS = 10_000;
  /** How often it looks: publishing stays as it is, with no signal to send from an application thread. */
  private static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private BuildDeferral() {
  }

  /**
   * Returns once there is something to export or report ({@link ShutdownHook#hasSomethingToReport}), or once
   * {@link #MIN_MILLIS} have passed and {@code classesLoaded} has not changed for {@link #QUIET_MILLIS}, or after
   * {@link #MAX_MILLIS}; says which, for the debug log.
   */
  static String await(SpanRing ring, IntSupplier classesLoaded) {
    long began = System.nanoTime();
    long quietSince = began;
    int loaded = classesLoaded.getAsInt();
    while (!ShutdownHook.hasSomethingToReport(ring)) {
      long now = System.nanoTime();
      int loadedNow = classesLoaded.getAsInt();
      if (loadedNow != loaded) {
        loaded = loadedNow;
        quietSince = now;
      }
      if (now - began >= TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS)) {
        return "no event, classes still loading after " + MAX_MILLIS + " ms";
      }
      if (now - began >= TimeUnit.MILLISECONDS.toNanos(MIN_MILLIS)
          && now - quietSince >= TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
        return "no event, no class loaded for " + QUIET_MILLIS + " ms";
      }
      LockSupport.parkNanos(LOOK_NANOS);
    }
    return "something to report";
  }
}
