package io.memtrace.agent.otel;

import io.memtrace.agent.util.RelocatedPackages;

/**
 * One copy of the OpenTelemetry API in this JVM: the class loader that has it and the prefix its
 * classes are renamed with ({@code ""} for the application's own copy).
 */
public final class OtelApi {

  /** {@code io.opentelemetry}, as {@link RelocatedPackages} says why. */
  static final String ROOT = RelocatedPackages.OPENTELEMETRY;
  /** Where the OpenTelemetry Java agent relocates the API it puts on the bootstrap class path. */
  static final String AGENT_PREFIX = ROOT + ".javaagent.shaded.";
  /** The class whose loading tells that an API copy is there (every use of spans reaches it). */
  static final String CONTEXT = "context.Context";
  /** Internal names ({@code a/b/C}) of the context class of the application's and the agent's copy. */
  static final String APP_CONTEXT_INTERNAL = (ROOT + "." + CONTEXT).replace('.', '/');
  static final String AGENT_CONTEXT_INTERNAL = (AGENT_PREFIX + ROOT + "." + CONTEXT).replace('.', '/');

  private final ClassLoader loader;
  private final String prefix;

  private OtelApi(ClassLoader loader, String prefix) {
    this.loader = loader;
    this.prefix = prefix;
  }

  /** The OpenTelemetry agent's copy, on the bootstrap class path. */
  static OtelApi agents() {
    return new OtelApi(null, AGENT_PREFIX + ROOT + ".");
  }

  /** The application's copy, as loaded by {@code loader}. */
  public static OtelApi applications(ClassLoader loader) {
    return new OtelApi(loader, ROOT + ".");
  }

  boolean isAgents() {
    return prefix.startsWith(AGENT_PREFIX);
  }

  /** The API class named {@code name} relative to {@code io.opentelemetry} in this copy. */
  public Class<?> load(String name) throws ClassNotFoundException {
    return Class.forName(prefix + name, false, loader);
  }

  /** Whether this copy can be loaded now (the OpenTelemetry agent's is not there before its premain). */
  boolean present() {
    try {
      load(CONTEXT);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return isAgents() ? "the OpenTelemetry agent's API" : "the application's OpenTelemetry API (" + loader + ")";
  }
}
