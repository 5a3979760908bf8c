package io.memtrace.collector.report;

import io.memtrace.collector.query.SqlSource;

/**
 * Which spans the report analyses. A memory manager on Redis produces two spans per operation, a
 * memory-manager span for the logical key ({@code test-plan-user-service}) and a Redis span for
 * the key Redis holds ({@code aqe/test-plans:test-plan-user-service}); counted together, every
 * operation would count twice and every key appear under two names. So the report reads one
 * layer at a time.
 */
public enum Layer {
  /**
   * Memory-manager spans: they carry {@code memory.operation} or a GenAI memory operation
   * ({@link io.memtrace.collector.store.MemoryConventions}).
   */
  MEMORY("memory-manager operations (spans with memory.operation or a GenAI memory gen_ai.operation.name)",
      "memory_operation IS NOT NULL"),
  /** Database client spans: Redis commands. */
  REDIS("Redis commands (spans with db.system.name)",
      "(db_system_name IS NOT NULL OR db_system IS NOT NULL)");

  final String description;
  final String predicate;

  Layer(String description, String predicate) {
    this.description = description;
    this.predicate = predicate;
  }

  /** The layer's name in the {@code key_events} and {@code lineage} views: {@code memory} or {@code redis}. */
  String viewName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Memory-manager keys when there are any, else Redis keys: what the report reads by default.
   *
   * @param memorySpans what the memory layer reads ({@link SpanTable#of(Layer)})
   */
  static Layer detect(SqlSource source, String memorySpans) {
    return source.query("SELECT count(*) AS n FROM (SELECT 1 FROM " + memorySpans + " WHERE " + MEMORY.predicate
        + " AND memory_key IS NOT NULL LIMIT 1)").number(0, "n") > 0 ? MEMORY : REDIS;
  }
}
