package io.memtrace.agent;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.export.OtlpTarget;
import io.memtrace.agent.export.SpanExporters;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.metrics.MetricsPipeline;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;

/**
 * Where the consumer's spans and metrics go and which resource they carry. The standalone agent
 * builds its own ({@link #STANDALONE}); as an extension of the OpenTelemetry Java agent, memtrace
 * uses that agent's exporters, resource and meter provider instead, and everything else (ring,
 * consumer, instrumentation) stays the same.
 */
public interface Backend {

  /** The resource every span carries. */
  Resource resource(MemtraceConfig config, String version);

  /** The span exporters, the first one being the one whose acknowledgements count as exported. */
  List<SpanExporters.Named> spanExporters(MemtraceConfig config);

  /** The meter provider memtrace's metrics are recorded with, and its readers. */
  MetricsPipeline metrics(MemtraceConfig config, Resource resource, HealthCounters counters, String version);

  /** memtrace's own SDK pieces, from {@code OTEL_*} and memtrace's settings. */
  Backend STANDALONE = new Backend() {
    @Override
    public Resource resource(MemtraceConfig config, String version) {
      return ResourceFactory.create(config, version);
    }

    @Override
    public List<SpanExporters.Named> spanExporters(MemtraceConfig config) {
      String notice = OtlpTarget.protocolNotice(config);
      if (notice != null) {
        AgentLog.warn(notice);
      }
      return SpanExporters.create(config);
    }

    @Override
    public MetricsPipeline metrics(MemtraceConfig config, Resource resource, HealthCounters counters, String version) {
      return MetricsPipeline.create(config, resource, counters, version);
    }
  };
}
