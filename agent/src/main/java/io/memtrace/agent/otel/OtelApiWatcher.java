package io.memtrace.agent.otel;

import io.memtrace.agent.bootstrap.OtelSpanReader;
import io.memtrace.agent.bootstrap.OtelSuppressor;
import io.memtrace.agent.otel.OtelAgentClients.Client;
import io.memtrace.agent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds the OpenTelemetry API that memtrace's root spans join (see {@link OtelSpanReader}): the
 * OpenTelemetry agent's when it runs (it also sees spans the application makes through its own
 * API, which that agent bridges), else the application's own. Neither may be there at start-up:
 * the OpenTelemetry agent's premain may come after memtrace's, and the application loads its API
 * when it first uses it, if ever. So this watches class loading for the API's {@code Context}
 * class (two string comparisons per class loaded), and installs a reader that binds to the API on
 * its first use, on an application thread, once the class is defined.
 */
public final class OtelApiWatcher implements ClassFileTransformer {

  private volatile boolean agentsFound;
  private volatile boolean applicationsFound;

  private OtelApiWatcher() {
  }

  /**
   * Starts looking; binds at once to an API already loaded (the OpenTelemetry agent ran first, or
   * an attach). With {@code suppressRedis} (memtrace's Redis tracing on, as a {@code -javaagent})
   * and the OpenTelemetry agent started first, also installs a {@link ClientSpanSuppressor}:
   * memtrace's advice then wraps that agent's, so it can still keep that agent's Jedis, Lettuce
   * and Redisson spans from starting (in the other order, {@link OtelAgentClients} switches them
   * off), for each client unless the user chose whether that agent traces it.
   */
  public static void start(Instrumentation inst, boolean attached, boolean suppressRedis) {
    OtelApiWatcher watcher = new OtelApiWatcher();
    if (OtelApi.agents().present()) {
      watcher.found(OtelApi.agents());
      if (suppressRedis) {
        suppressRedisSpans(OtelApi.agents(), OtelAgentClients.unchosen(System.getProperties(), System.getenv()));
      }
      return; // the OpenTelemetry agent's API answers for everything: nothing else to watch for
    }
    inst.addTransformer(watcher, false);
    if (attached) {
      for (Class<?> type : inst.getAllLoadedClasses()) {
        if (type.getClassLoader() != null
            && type.getName().replace('.', '/').equals(OtelApi.APP_CONTEXT_INTERNAL)) {
          watcher.found(OtelApi.applications(type.getClassLoader()));
          break;
        }
      }
    }
  }

  private static void suppressRedisSpans(OtelApi api, List<Client> clients) {
    if (clients.isEmpty()) {
      return;
    }
    try {
      ClientSpanSuppressor suppressor = ClientSpanSuppressor.create(api);
      for (Client client : clients) {
        OtelSuppressor.install(OtelSuppressor.Client.valueOf(client.name()), suppressor);
      }
      AgentLog.info("the OpenTelemetry agent started first: memtrace keeps its " + names(clients)
          + " spans from starting, so each command gets one span, memtrace's");
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      AgentLog.warn("memtrace cannot keep the OpenTelemetry agent's Redis client spans from starting, so "
          + "commands get a span from each agent (start memtrace first, or set "
          + clients.stream().map(c -> OtelAgentClients.property(c) + "=false").collect(Collectors.joining(", "))
          + "): " + e);
    }
  }

  /** {@code Jedis}, {@code Jedis and Lettuce}, {@code Jedis, Lettuce and Redisson}. */
  static String names(List<Client> clients) {
    String last = OtelAgentClients.displayName(clients.get(clients.size() - 1));
    if (clients.size() == 1) {
      return last;
    }
    return clients.subList(0, clients.size() - 1).stream().map(OtelAgentClients::displayName)
        .collect(Collectors.joining(", ")) + " and " + last;
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] classfile) {
    if (agentsFound || className == null) {
      return null;
    }
    if (loader == null) {
      if (className.equals(OtelApi.AGENT_CONTEXT_INTERNAL)) {
        found(OtelApi.agents());
      }
    } else if (!applicationsFound && className.equals(OtelApi.APP_CONTEXT_INTERNAL)) {
      found(OtelApi.applications(loader));
    }
    return null;
  }

  private synchronized void found(OtelApi api) {
    if (agentsFound || applicationsFound && !api.isAgents()) {
      return; // the first application loader wins; the OpenTelemetry agent's API wins over it
    }
    if (api.isAgents()) {
      agentsFound = true;
      OtelAgentClients.announce(); // it started after memtrace (when it started first, leaveToMemtrace set nothing)
    } else {
      applicationsFound = true;
    }
    AgentLog.debug("root spans will join the span current in " + api);
    OtelSpanReader.install(new BindingSpanReader(api));
  }
}
