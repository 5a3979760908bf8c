package io.memtrace.collector.clickhouse;

import io.memtrace.collector.store.PromotedAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The attributes the embedded store keeps as columns ({@link PromotedAttributes}: {@code memory.key} as
 * {@code memory_key}, and so on), kept in {@code otel_traces} as {@code MATERIALIZED} columns: computed by ClickHouse
 * from {@code SpanAttributes} as the exporter's rows are inserted, so the exporter, which names the columns it
 * writes, writes the table unchanged, and {@code SELECT *} (Grafana, Jaeger) does not show them. A column holds what
 * {@code query} reads for {@code attributes['memory.key']} on ClickHouse: the text ({@code ''} when the span lacks
 * the key), or for a number its {@code accurateCastOrNull} (a boolean is not kept: see {@link #kept}).
 *
 * <p>Why: through the view, a lookup in the attribute map reads every key of every span's map; the example queries
 * read two or three keys of millions of spans, 0.23-0.66 s of CPU each at 10M spans, and 37-87 ms from these columns.
 * The {@code spans} view shows them, and {@code query} reads them in place of the lookups. ClickHouse 26.9's bucketed
 * maps, which read one bucket of the map for a key, were tried first: five times the CPU of a typed column for the
 * same rows, and three to four times the CPU of a plain map for every query that reads the map whole (docs/fleet.md,
 * the example queries read from columns).
 */
public final class AttributeColumns {

  /** The ClickHouse type each typed attribute is read as, by the embedded store's type name. */
  static final Map<String, String> TYPES = Map.of("BIGINT", "Int64", "DOUBLE", "Float64", "BOOLEAN", "Bool");

  /** Attribute key to column name, in {@link PromotedAttributes}' order. */
  public static final Map<String, String> COLUMNS = Collections.unmodifiableMap(PromotedAttributes.COLUMNS.stream()
      .collect(Collectors.toMap(PromotedAttributes.Column::key, PromotedAttributes.Column::name, (a, b) -> a,
          LinkedHashMap::new)));

  /** The last column: a {@code spans} view or an {@code otel_traces} of an earlier init lacks it. */
  public static final String LAST = PromotedAttributes.COLUMNS.get(PromotedAttributes.COLUMNS.size() - 1).name();

  private AttributeColumns() {
  }

  /** {@code lookup} as {@code query} reads an attribute of {@code type} (the embedded store's type name). */
  public static String typed(String lookup, String type) {
    String clickhouse = TYPES.get(type);
    return clickhouse == null ? lookup : "accurateCastOrNull(" + lookup + ", '" + clickhouse + "')";
  }

  /** Whether {@code query} reads attributes of {@code type} cast, rather than as text. */
  public static boolean cast(String type) {
    return TYPES.containsKey(type);
  }

  /**
   * The text attributes with a value of their own for about every span (a key, a record, a fingerprint): plain
   * {@code String}. The others name one of a few things (a namespace, an operation, a server) and are
   * {@code LowCardinality}: at 10M spans the namespace took a third of the bytes and the third example query, which
   * groups by it, a third of the CPU.
   */
  private static final java.util.Set<String> DISTINCT = java.util.Set.of("memory.key", "gen_ai.memory.record.id",
      "memory.value.fingerprint");

  /**
   * Whether the column is kept in {@code otel_traces}. Not the booleans ({@code memory.found}): ClickHouse's
   * {@code accurateCastOrNull} of text to {@code Bool} took 31 µs a span that lacks the key (its failure path), which
   * tripled the insert's CPU; the {@code spans} view computes them from the map when asked.
   */
  static boolean kept(PromotedAttributes.Column column) {
    return !column.type().equals("BOOLEAN");
  }

  /** {@code column} as the {@code spans} view shows it: the kept column, or computed from {@code SpanAttributes}. */
  static String inView(PromotedAttributes.Column column) {
    return kept(column) ? column.name()
        : typed("SpanAttributes['" + column.key() + "']", column.type()) + " AS " + column.name();
  }

  /** Each kept column's definition in {@code otel_traces}: {@code memory_key String MATERIALIZED ... CODEC(ZSTD(3))}. */
  static List<String> definitions() {
    return PromotedAttributes.COLUMNS.stream().filter(AttributeColumns::kept).map(c -> {
      String type = TYPES.containsKey(c.type()) ? "Nullable(" + TYPES.get(c.type()) + ")"
          : DISTINCT.contains(c.key()) ? "String" : "LowCardinality(String)";
      return c.name() + " " + type + " MATERIALIZED " + typed("SpanAttributes['" + c.key() + "']", c.type())
          + " CODEC(ZSTD(3))";
    }).toList();
  }
}
