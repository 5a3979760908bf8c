package io.memtrace.otel;

import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.ConfigResult;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.Collections;
import java.util.Map;

/**
 * Runs while the OpenTelemetry agent configures its SDK: reads memtrace's YAML
 * ({@code -Dmemtrace.config} or {@code MEMTRACE_CONFIG}, as the standalone agent does), gives the
 * agent the default {@code otel.instrumentation.jedis.enabled=false} when memtrace traces Redis
 * (one span per command, memtrace's; the user's own setting still wins), and keeps the agent's
 * span exporters, sampler and resource for memtrace.
 */
public final class MemtraceCustomizer implements AutoConfigurationCustomizerProvider {

  static final String JEDIS_ENABLED = "otel.instrumentation.jedis.enabled";

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    ConfigResult result = ConfigLoader.load(null, System.getenv(), System.getProperties());
    HostSdk.config = result;
    customizer
        .addPropertiesSupplier(() -> jedisDefault(result))
        .addSpanExporterCustomizer((exporter, properties) -> HostSdk.EXPORTERS.capture(exporter))
        .addSamplerCustomizer((sampler, properties) -> {
          HostSdk.sampler = sampler;
          return sampler;
        })
        .addResourceCustomizer((resource, properties) -> {
          HostSdk.resource = resource;
          return resource;
        });
  }

  /** The OpenTelemetry agent's Jedis spans are off by default when memtrace's own are on. */
  static Map<String, String> jedisDefault(ConfigResult result) {
    return result.agentEnabled() && result.redisEnabled()
        ? Collections.singletonMap(JEDIS_ENABLED, "false") : Collections.emptyMap();
  }

  @Override
  public int order() {
    // last, so the exporters, sampler and resource kept are the ones the SDK ends up with
    return Integer.MAX_VALUE;
  }
}
