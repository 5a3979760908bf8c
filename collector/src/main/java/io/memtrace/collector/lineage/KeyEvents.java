package io.memtrace.collector.lineage;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.Schema;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the key events of some keys are, asked once for a lineage question and the lookups beside it: whether the
 * store keeps them in {@code key_event_store} ({@link LineageViews#kept}), and whether the {@code span_ingest} tail,
 * whose events the views derive at each query, holds any span that names one of the keys. When it holds none, every
 * event of those keys is a stored row, answered when it was stored ({@link StoredLineage}), and a lookup of their
 * writes can read the table alone instead of the view that answers the tail.
 *
 * @param spanColumns the columns of {@code spans}
 * @param kept whether the store keeps its key events
 * @param tailFree whether the key events are kept and the tail names none of the keys
 * @param tailByKey whether, the tail naming some of the keys, only its events of those keys are answered
 *     ({@link TailLineage}) rather than the whole tail by the kept view; false to ask the view
 */
public record KeyEvents(Set<String> spanColumns, boolean kept, boolean tailFree, boolean tailByKey) {

  /** Up to this many keys, the tail is asked with them listed in the statement. */
  static final int LISTED_KEYS = 200;
  /** Past this many names in the tail, it is taken to name some of the keys (the longer, always right, way). */
  static final int TAIL_NAMES = 100_000;

  /** Asks the store (two small queries, three when the events are kept and there are keys). */
  public static KeyEvents of(SqlSource source, Collection<String> keys) {
    return of(source, columns(source), keys);
  }

  /** With the columns of {@code spans} known. */
  public static KeyEvents of(SqlSource source, Set<String> spanColumns, Collection<String> keys) {
    boolean kept = LineageViews.kept(source);
    boolean tailFree = kept && !keys.isEmpty() && !tailNames(source, keys);
    return new KeyEvents(spanColumns, kept, tailFree, kept && !tailFree);
  }

  /** The columns of {@code spans}. */
  public static Set<String> columns(SqlSource source) {
    return source.queryOwn("SELECT * FROM spans LIMIT 0").columns().stream().map(ResultTable.Column::name)
        .collect(Collectors.toSet());
  }

  /** As the question was asked before the stored answers were read: through the view that answers the tail. */
  public KeyEvents viewOnly() {
    return new KeyEvents(spanColumns, kept, false, false);
  }

  /** The relation with the key events of the keys: {@code key_event_store} when the tail names none of them. */
  public String relation() {
    return tailFree ? KeyEventStore.EVENTS : "key_event_rows";
  }

  /**
   * Whether a span of the tail names one of {@code keys} as the key events take it (a memory key, or a GenAI
   * memory record id), or is a batch's, whatever else it is: a span that is no key event only sends the question the
   * longer way.
   */
  private static boolean tailNames(SqlSource source, Collection<String> keys) {
    Set<String> distinct = new HashSet<>(keys);
    String key = MemoryConventions.column("memory.key");
    String record = MemoryConventions.column("gen_ai.memory.record.id");
    if (distinct.size() > LISTED_KEYS) {
      // a long list is the statement's cost, not the tail: DuckDB took 1.5 to 3.6 s to plan an empty tail's check
      // against the 20,000 keys of 10,000 model calls' reads; so the tail's own names are read (compaction keeps it
      // short) and compared here, and a tail naming more than TAIL_NAMES keys is taken to name one of these
      // a batch names its keys in its events, not in a column: one in the tail sends every question the longer way
      if (source.queryOwn("SELECT 1 FROM " + Schema.TAIL + " WHERE " + LineageViews.BATCH_SPAN + " LIMIT 1").size() > 0) {
        return true;
      }
      ResultTable names = source.queryOwn("SELECT DISTINCT k FROM (SELECT " + key + " AS k FROM " + Schema.TAIL + " UNION ALL "
          + "SELECT " + record + " FROM " + Schema.TAIL + ") WHERE k IS NOT NULL LIMIT " + (TAIL_NAMES + 1));
      if (names.size() > TAIL_NAMES) {
        return true;
      }
      for (int i = 0; i < names.size(); i++) {
        if (distinct.contains(names.text(i, "k"))) {
          return true;
        }
      }
      return false;
    }
    String list = distinct.stream().map(TraceLineage::literal).collect(Collectors.joining(", "));
    return source.queryOwn("SELECT 1 FROM " + Schema.TAIL + " WHERE " + key + " IN (" + list + ") OR " + record + " IN (" + list
        + ") OR (" + LineageViews.BATCH_SPAN + ") LIMIT 1").size() > 0;
  }
}
