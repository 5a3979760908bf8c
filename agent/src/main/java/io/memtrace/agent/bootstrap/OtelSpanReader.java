package io.memtrace.agent.bootstrap;

/**
 * Reads the OpenTelemetry span current on the calling thread, so that a memtrace span starting with
 * no memtrace parent (a memory-manager or task call, a Redis command or batch) joins that span's
 * trace as its child instead of starting a trace of its own. Spans nested in a memtrace span
 * inherit through {@link ThreadContext} as before and never ask.
 *
 * <p>Which OpenTelemetry API answers depends on how memtrace runs, so the reader is pluggable:
 * the {@code -javaagent} finds the OpenTelemetry agent's shaded API, else the application's own,
 * and calls it through method handles; the OpenTelemetry agent extension calls the API directly.
 * Either installs its reader once with {@link #install}. With none installed, the cost on the hot
 * path is one static read and a null check.
 *
 * <p>An implementation is called on application threads: it must not block, lock, log or throw
 * on purpose (anything thrown is caught and counted as an internal error), and should not allocate.
 */
public abstract class OtelSpanReader {

  private static volatile OtelSpanReader installed;

  protected OtelSpanReader() {
  }

  /** Makes {@code reader} the one memtrace asks from now on; {@code null} stops asking. */
  public static void install(OtelSpanReader reader) {
    installed = reader;
  }

  /** The reader in use, or {@code null}. */
  public static OtelSpanReader installed() {
    return installed;
  }

  /**
   * If a valid OpenTelemetry span is current on this thread, writes its trace id, span id and
   * sampled flag into {@code parent} (see {@link JoinedParent#set} and {@link JoinedParent#setHex})
   * and returns {@code true}; otherwise returns {@code false} and leaves it alone.
   */
  protected abstract boolean readCurrent(JoinedParent parent);

  /**
   * The hot path's entry: asks the installed reader, if any, and never throws.
   *
   * @return whether {@code parent} now holds the current OpenTelemetry span
   */
  static boolean read(JoinedParent parent) {
    OtelSpanReader reader = installed;
    if (reader == null) {
      return false;
    }
    try {
      return reader.readCurrent(parent);
    } catch (Throwable t) {
      Bridge.internalError(t);
      return false;
    }
  }
}
