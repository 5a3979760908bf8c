package io.memtrace.otel;

import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.ConfigResult;
import io.memtrace.agent.otel.OtelAgentClients;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.Collections;
import java.util.Map;

/**
 * Runs while the OpenTelemetry agent configures its SDK: reads memtrace's YAML
 * ({@code -Dmemtrace.config} or {@code MEMTRACE_CONFIG}, as the standalone agent does), gives the
 * agent the defaults {@code otel.instrumentation.jedis.enabled=false},
 * {@code otel.instrumentation.lettuce.enabled=false} and {@code otel.instrumentation.redisson.enabled=false}
 * when memtrace traces Redis (one span per command, memtrace's; the user's own settings still
 * win; {@link OtelAgentClients}), keeps the agent's span exporters, sampler and resource for
 * memtrace, and has the agent's metric readers collect last at exit ({@link HostExporters}).
 */
public final class MemtraceCustomizer implements AutoConfigurationCustomizerProvider {

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    ConfigResult result = ConfigLoader.load(null, System.getenv(), System.getProperties());
    HostSdk.config = result;
    customizer
        .addPropertiesSupplier(() -> redisClientDefaults(result))
        .addSpanExporterCustomizer((exporter, properties) -> HostSdk.EXPORTERS.capture(exporter))
        .addMetricReaderCustomizer((reader, properties) -> HostSdk.EXPORTERS.metricsAfterMemtrace(reader))
        .addSamplerCustomizer((sampler, properties) -> {
          HostSdk.sampler = sampler;
          return sampler;
        })
        .addResourceCustomizer((resource, properties) -> {
          HostSdk.resource = resource;
          return resource;
        });
  }

  /** The OpenTelemetry agent's Redis client spans are off by default when memtrace's own are on. */
  static Map<String, String> redisClientDefaults(ConfigResult result) {
    return result.agentEnabled() && result.redisEnabled()
        ? OtelAgentClients.allLeftToMemtrace() : Collections.emptyMap();
  }

  @Override
  public int order() {
    // last, so the exporters, sampler and resource kept are the ones the SDK ends up with
    return Integer.MAX_VALUE;
  }
}
