package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.PromotedAttributes;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the report's queries read {@code FROM}: the {@code spans} view, whose typed attribute columns
 * ({@link PromotedAttributes}) they use throughout, and for the memory layer its memory operations under
 * either naming convention, with {@code memory_operation}, {@code memory_namespace} and {@code memory_key}
 * read as {@link MemoryConventions} says. So every section counts a span once, whether it carries the seed
 * names, the GenAI names or both.
 *
 * <p>Reading the GenAI names back costs: read through both branches of
 * {@link MemoryConventions#memorySpansSql}, a store of 1M seed-named spans took 1.4 to 1.6 times as long
 * over the report's queries. So the memory layer reads the GenAI-only branch only from a store that has such
 * spans, and the seed branch only from one that has those, which it asks first (one query, 15-20 ms at 1M
 * spans); a store of seed-named spans (conventions seed or both) is read as it always was.
 *
 * <p>A store written by an older collector and opened read-only lacks some or all of the columns; then
 * those are computed from {@code attributes}, which gives the same report, only slower, and the report
 * says so.
 *
 * @param from every span, with the columns
 * @param typed whether the store has every column (else the report is slow and says so)
 * @param seedNamed whether some span names its memory operation with the seed names
 * @param genAiOnly whether some span names its memory operation with the GenAI names only
 */
record SpanTable(String from, boolean typed, boolean seedNamed, boolean genAiOnly) {

  static final String UPGRADE_NOTE = "This store was written by an older collector and lacks typed attribute "
      + "columns: the report reads every span's attributes for them and is slow. Open it once with `serve --data DIR` "
      + "to upgrade it.";

  /** The {@code spans} view of {@code source}, with the columns. */
  static SpanTable of(SqlSource source) {
    Set<String> present = source.query("SELECT * FROM spans LIMIT 0").columns().stream()
        .map(c -> c.name()).collect(Collectors.toSet());
    String from = PromotedAttributes.spansWithColumns(present);
    ResultTable names = source.query("SELECT EXISTS (SELECT 1 FROM " + from + " WHERE memory_operation IS NOT NULL) "
        + "AS seed, EXISTS (SELECT 1 FROM " + from + " WHERE " + MemoryConventions.genAiOnlySql(MemoryConventions::column) + ") AS genai");
    return new SpanTable(from, from.equals("spans"), Boolean.TRUE.equals(names.bool(0, "seed")),
        Boolean.TRUE.equals(names.bool(0, "genai")));
  }

  /** What the sections of {@code layer} read: the memory operations under either naming, or every span. */
  String of(Layer layer) {
    // seed-named spans only: the layer's predicate picks them from every span
    return layer == Layer.MEMORY && genAiOnly ? MemoryConventions.memorySpansSql(from, seedNamed) + " AS spans" : from;
  }
}
