package io.memtrace.agent.bootstrap;

/**
 * Keeps the OpenTelemetry agent's own Redis client spans from starting while memtrace traces a
 * command or batch, so each gets one span, memtrace's (issue 15, D1; issue 33). Installed per
 * client, only when that agent started before memtrace with its instrumentation of the client on:
 * memtrace's advice then runs around the OpenTelemetry agent's, and makes current a context that
 * tells its instrumentation to stand aside. With none installed, the cost is one static read and
 * a null check.
 */
public abstract class OtelSuppressor {

  /**
   * The clients both agents trace, each with the suppressor installed for it: the user chooses
   * whether the OpenTelemetry agent traces each (its {@code otel.instrumentation.<client>.enabled}),
   * so each is suppressed on its own. The names are those of {@code OtelAgentClients.Client},
   * which holds the settings' names outside the bootstrap.
   */
  public enum Client {
    JEDIS, LETTUCE, REDISSON;

    private volatile OtelSuppressor suppressor;
  }

  protected OtelSuppressor() {
  }

  /** Suppresses the OpenTelemetry agent's spans of {@code client} from now on ({@code null}: no longer). */
  public static void install(Client client, OtelSuppressor suppressor) {
    client.suppressor = suppressor;
  }

  /** Makes the suppressing context current; returns the scope to hand to {@link #close}. */
  protected abstract Object open();

  /** Closes what {@link #open} returned, restoring the context before it. */
  protected abstract void close(Object scope);

  /** The advice's entry for {@code client}: a scope, or {@code null} when nothing is suppressed. Never throws. */
  static Object suppress(Client client) {
    OtelSuppressor suppressor = client.suppressor;
    if (suppressor == null) {
      return null;
    }
    try {
      return suppressor.open();
    } catch (Throwable t) {
      Bridge.internalError(t);
      return null;
    }
  }

  /** Whether the OpenTelemetry agent's spans of {@code client} are to be kept from starting. */
  static boolean suppresses(Client client) {
    return client.suppressor != null;
  }

  /** Ends what {@link #suppress} began for {@code client}. Never throws. */
  static void restore(Client client, Object scope) {
    OtelSuppressor suppressor = client.suppressor;
    if (scope == null || suppressor == null) {
      return;
    }
    try {
      suppressor.close(scope);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }
}
