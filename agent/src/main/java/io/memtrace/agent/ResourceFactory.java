package io.memtrace.agent;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.OtelSettings;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;

/**
 * The resource every span carries: {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES} and
 * memtrace's own, or their memtrace-only twins. {@code service.name} is taken from the first that
 * has it of {@code MEMTRACE_SERVICE_NAME}, {@code MEMTRACE_RESOURCE_ATTRIBUTES},
 * {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}: a twin is meant for memtrace alone,
 * so a name given there outranks the one both agents read.
 */
final class ResourceFactory {

  private ResourceFactory() {
  }

  static Resource create(MemtraceConfig config, String version) {
    AttributesBuilder attrs = Attributes.builder()
        .put("telemetry.sdk.name", "opentelemetry")
        .put("telemetry.sdk.language", "java")
        .put("telemetry.distro.name", "memtrace")
        .put("telemetry.distro.version", version)
        .put("process.pid", ProcessHandle.current().pid())
        .put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"));
    Map<String, String> given = config.get(OtelSettings.RESOURCE_ATTRIBUTES);
    given.forEach(attrs::put);
    attrs.put("service.name", serviceName(config));
    return Resource.create(attrs.build());
  }

  static String serviceName(MemtraceConfig config) {
    String explicit = config.get(OtelSettings.SERVICE_NAME);
    String fromAttributes = config.get(OtelSettings.RESOURCE_ATTRIBUTES).get("service.name");
    if (fromAttributes != null && explicit != null
        && config.givenForMemtraceOnly(OtelSettings.RESOURCE_ATTRIBUTES)
        && !config.givenForMemtraceOnly(OtelSettings.SERVICE_NAME)) {
      return fromAttributes;
    }
    return explicit != null ? explicit : fromAttributes != null ? fromAttributes : "unknown_service:java";
  }
}
