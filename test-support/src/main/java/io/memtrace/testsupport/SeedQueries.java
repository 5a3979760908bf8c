package io.memtrace.testsupport;

import java.util.List;

/**
 * The three example queries of the span specification, on the {@code spans} view, exactly as it writes them: the tests
 * run them on the seed trace, the benchmarks time them.
 */
public final class SeedQueries {

  /** The slowest memory operations. */
  public static final String SLOWEST = "SELECT\n"
      + "  attributes['memory.key'] as key,\n"
      + "  attributes['memory.namespace'] as namespace,\n"
      + "  attributes['memory.operation_duration_ms'] as duration_ms\n"
      + "FROM spans\n"
      + "WHERE name LIKE 'aqe.memory.%'\n"
      + "ORDER BY duration_ms DESC\n"
      + "LIMIT 10;";

  /** The largest values stored. */
  public static final String LARGEST = "SELECT\n"
      + "  attributes['memory.key'] as key,\n"
      + "  attributes['memory.value_size'] as size_bytes\n"
      + "FROM spans\n"
      + "WHERE name = 'aqe.memory.store'\n"
      + "ORDER BY size_bytes DESC\n"
      + "LIMIT 10;";

  /** Operations and their mean duration per namespace. */
  public static final String BY_NAMESPACE = "SELECT\n"
      + "  attributes['memory.namespace'] as namespace,\n"
      + "  COUNT(*) as operation_count,\n"
      + "  AVG(attributes['memory.operation_duration_ms']) as avg_duration_ms\n"
      + "FROM spans\n"
      + "WHERE name LIKE 'aqe.memory.%'\n"
      + "GROUP BY namespace;";

  /** The three, in the specification's order. */
  public static final List<String> ALL = List.of(SLOWEST, LARGEST, BY_NAMESPACE);

  private SeedQueries() {
  }
}
