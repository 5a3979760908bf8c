package io.memtrace.collector.reader;

/**
 * Which spans the report analyses. A memory manager on Redis produces two spans per operation, a
 * memory-manager span for the logical key ({@code test-plan-user-service}) and a Redis span for
 * the key Redis holds ({@code aqe/test-plans:test-plan-user-service}); counted together, every
 * operation would count twice and every key appear under two names. So the report reads one
 * layer at a time. Each store says for itself which of its spans make a layer.
 */
public enum Layer {
  /**
   * Memory-manager spans: they carry {@code memory.operation} or a GenAI memory operation
   * ({@link io.memtrace.collector.store.MemoryConventions}).
   */
  MEMORY("memory-manager operations (spans with memory.operation or a GenAI memory gen_ai.operation.name)"),
  /** Database client spans: Redis commands. */
  REDIS("Redis commands (spans with db.system.name)");

  private final String description;

  Layer(String description) {
    this.description = description;
  }

  /** The layer as a phrase, for the report's source line. */
  public String description() {
    return description;
  }

  /** The layer's name in the {@code key_events} and {@code lineage} views: {@code memory} or {@code redis}. */
  public String viewName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
