package io.memtrace.common;

/**
 * The {@code memory-state} section of memtrace's YAML file: which namespaces make up the layers of
 * an application's memory, for the collector's keyspace watcher and its size gauges. The agent
 * accepts the section and leaves it alone; the collector reads and validates it (its
 * {@code keyspace.LayerMap}), so one file configures both.
 */
public final class MemoryStateSection {

  /** The section's key at the top of the file. */
  public static final String KEY = "memory-state";

  private MemoryStateSection() {
  }
}
