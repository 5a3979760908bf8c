package io.memtrace.otel;

import io.memtrace.agent.AgentMain;
import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.ConfigResult;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.lang.instrument.Instrumentation;

/**
 * Starts memtrace once the OpenTelemetry agent has built its SDK and installed its own
 * instrumentation: memtrace's transformer is registered after the agent's, on the agent's
 * {@link Instrumentation}, and its spans and metrics leave through the agent's SDK
 * ({@link HostBackend}).
 */
public final class MemtraceAgentListener implements AgentListener {

  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
    Instrumentation inst = HostInstrumentation.get();
    if (inst == null) {
      AgentLog.error("memtrace is OFF: this OpenTelemetry Java agent does not expose its "
          + "Instrumentation (" + HostInstrumentation.HOLDER + " is missing or empty); the extension "
          + "needs an agent of version 2.x. The application runs without memtrace.", null);
      return;
    }
    ConfigResult config = HostSdk.config;
    if (config == null) { // the SDK was built without autoconfigure customizers
      config = ConfigLoader.load(null, System.getenv(), System.getProperties());
    }
    AgentMain.startEmbedded(config, inst, new HostBackend(sdk.getOpenTelemetrySdk().getSdkMeterProvider()));
    joinCurrentSpans();
  }

  /**
   * memtrace's root spans join the OpenTelemetry span current on the thread. After the start: the
   * reader's base class is in the bridge, which the start put on the bootstrap class path (so this
   * class must not name it: the agent loads it before the start); a memtrace that is off never
   * asks the reader.
   */
  private static void joinCurrentSpans() {
    try {
      CurrentSpanReader.install(HostSdk.JOINED);
    } catch (LinkageError e) {
      AgentLog.error("memtrace's spans cannot join the OpenTelemetry agent's traces: " + e, null);
    }
  }
}
