package io.memtrace.collector.keyspace;

import io.memtrace.common.NamespaceRule;
import java.nio.file.Path;

/**
 * What the keyspace watcher takes from memtrace's YAML file, the agent's own: the namespace rule
 * ({@code redis.namespace-from-key}, with the agent's default) and the layer mapping
 * ({@code memory-state}). Every other key of the file is the agent's and is left to it.
 *
 * @param source where it came from, for messages: the file, or "defaults"
 */
public record MemoryStateConfig(NamespaceRule namespaceRule, LayerMap layers, String source) {

  public static MemoryStateConfig defaults() {
    return new MemoryStateConfig(NamespaceRule.defaultRule(), LayerMap.defaults(), "defaults");
  }

  /** Reads {@code file}, or the defaults when {@code file} is null; a bad file is a clear error naming the key. */
  public static MemoryStateConfig read(Path file) {
    return file == null ? defaults() : MemoryStateYaml.read(file);
  }
}
