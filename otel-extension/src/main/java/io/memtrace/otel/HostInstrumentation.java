package io.memtrace.otel;

import java.lang.instrument.Instrumentation;

/**
 * The OpenTelemetry agent's {@link Instrumentation}, which its premain keeps in a holder on the
 * bootstrap class path. Looked up by name: the holder is not part of the extension API, so a
 * future agent may move it, and then memtrace says so instead of failing to link.
 */
final class HostInstrumentation {

  static final String HOLDER = "io.opentelemetry.javaagent.bootstrap.InstrumentationHolder";

  private HostInstrumentation() {
  }

  /** The agent's instrumentation, or null when the holder is missing or was never set. */
  static Instrumentation get() {
    try {
      Class<?> holder = Class.forName(HOLDER, false, null);
      Object inst = holder.getMethod("getInstrumentation").invoke(null);
      return inst instanceof Instrumentation ? (Instrumentation) inst : null;
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}
