package io.memtrace.otel;

import io.memtrace.agent.config.ConfigResult;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * What {@link MemtraceCustomizer} takes from the OpenTelemetry agent's SDK while that agent builds
 * it, for {@link MemtraceAgentListener}, which starts memtrace afterwards. The agent loads the two
 * through separate service lookups, so they meet here; both run once, on the agent's premain thread.
 */
final class HostSdk {

  static final HostExporters EXPORTERS = new HostExporters();
  static final JoinedTraces JOINED = new JoinedTraces();
  /** memtrace's configuration, loaded once by the customizer; null until then. */
  static volatile ConfigResult config;
  static volatile Sampler sampler;
  static volatile Resource resource;

  private HostSdk() {
  }
}
