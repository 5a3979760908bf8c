package io.memtrace.collector.reader;

import java.util.List;
import java.util.Set;

/**
 * The report a store gave.
 *
 * @param layer      the layer analysed, as a phrase ({@link Layer#description})
 * @param sections   every section, in the order shown
 * @param statements what the store ran to answer, in its own query language and in order, so a page can show the
 *                   statements behind its numbers
 */
public record Report(String layer, List<Section> sections, List<String> statements) {

  /**
   * The ids of the sections of the report's headline, which {@code memory_overview} prints: the store, namespaces,
   * hot keys, the key lists, reads that found nothing after a write, wasted writes, memory health and model calls.
   */
  public static final Set<String> HEADLINE = Set.of("overview", "namespaces", "hot_keys", "written_never_read",
      "read_once", "no_ttl", "misses_after_write", "wasted_writes", "memory_health", "model_calls", "model_call_flags");

  public Report {
    sections = List.copyOf(sections);
    statements = List.copyOf(statements);
  }

  /** This report with only the sections of its headline ({@link #HEADLINE}), in their order. */
  public Report headline() {
    return new Report(layer, sections.stream().filter(s -> HEADLINE.contains(s.id())).toList(), statements);
  }
}
