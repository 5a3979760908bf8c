package io.memtrace.otel;

import io.memtrace.agent.Backend;
import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.export.SpanExporters;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.metrics.MetricsPipeline;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collections;
import java.util.List;

/**
 * memtrace's output through the OpenTelemetry agent's SDK: its span exporters (behind its sampler
 * for traces memtrace starts), its resource and its meter provider. The {@code OTEL_*} settings
 * therefore mean what they mean to that agent; memtrace's own exporters are not built.
 */
final class HostBackend implements Backend {

  static final String NAME = "opentelemetry-agent";

  private final SdkMeterProvider meterProvider;

  HostBackend(SdkMeterProvider meterProvider) {
    this.meterProvider = meterProvider;
  }

  @Override
  public Resource resource(MemtraceConfig config, String version) {
    Resource resource = HostSdk.resource;
    return resource != null ? resource : Resource.getDefault();
  }

  @Override
  public List<SpanExporters.Named> spanExporters(MemtraceConfig config) {
    if (HostSdk.EXPORTERS.isEmpty()) {
      AgentLog.info("the OpenTelemetry agent exports no traces (otel.traces.exporter=none); memtrace's "
          + "spans are not exported either, its metrics are");
      return Collections.emptyList();
    }
    Sampler sampler = HostSdk.sampler != null ? HostSdk.sampler : Sampler.parentBased(Sampler.alwaysOn());
    return Collections.singletonList(new SpanExporters.Named(NAME,
        HostSdk.EXPORTERS.forMemtrace(new TraceSampling(sampler, HostSdk.JOINED), config.get(Settings.SHUTDOWN_TIMEOUT_MS))));
  }

  @Override
  public MetricsPipeline metrics(MemtraceConfig config, Resource resource, HealthCounters counters, String version) {
    return MetricsPipeline.onto(meterProvider, counters, version, NAME);
  }
}
