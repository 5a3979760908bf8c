package io.memtrace.collector.keyspace;

import io.memtrace.collector.health.RecordPattern;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.common.NamespaceRule;
import java.nio.file.Path;

/**
 * What the keyspace watcher takes from memtrace's YAML file, the agent's own: the namespace rule
 * ({@code redis.namespace-from-key}, with the agent's default), the layer mapping ({@code memory-state}) and the
 * tenant rule ({@code memory-state.tenant}, which the provenance of model calls reads). Every other key of the file
 * is the agent's and is left to it.
 *
 * @param records which Redis keys are one record, for the report's drifting TTLs ({@code memory-state.record-pattern})
 * @param source where it came from, for messages: the file, or "defaults"
 */
public record MemoryStateConfig(NamespaceRule namespaceRule, LayerMap layers, TenantRule tenant, RecordPattern records,
    String source) {

  public MemoryStateConfig(NamespaceRule namespaceRule, LayerMap layers, String source) {
    this(namespaceRule, layers, TenantRule.NONE, source);
  }

  public MemoryStateConfig(NamespaceRule namespaceRule, LayerMap layers, TenantRule tenant, String source) {
    this(namespaceRule, layers, tenant, RecordPattern.defaults(), source);
  }

  public static MemoryStateConfig defaults() {
    return new MemoryStateConfig(NamespaceRule.defaultRule(), LayerMap.defaults(), TenantRule.NONE, "defaults");
  }

  /** Reads {@code file}, or the defaults when {@code file} is null; a bad file is a clear error naming the key. */
  public static MemoryStateConfig read(Path file) {
    return file == null ? defaults() : MemoryStateYaml.read(file);
  }
}
