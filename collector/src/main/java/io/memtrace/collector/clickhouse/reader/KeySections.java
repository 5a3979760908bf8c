package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.embedded.StatementKeyNotes;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.report.KeyOperations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's sections about keys (largest values, hot keys, the three key lists, namespace growth), the embedded
 * store's, from one statement: the layer's accesses grouped by key once (a materialized CTE), then each section's
 * query over those totals ({@link Parts}). Asked one by one, each query grouped every access again.
 */
final class KeySections {

  /** The typed columns of the accesses ({@link #keyed}). */
  private static final List<String> KEYED = List.of("start_us", "memory_key", "memory_namespace", "memory_operation",
      "db_operation_name", "memory_ttl", "memtrace_unknown", "memory_value_size", "db_system_name", "db_system");

  private static final String[][] LISTS = {
      {"written_never_read", "Keys written and never read", "writes > 0 AND reads = 0"},
      {"read_once", "Keys read only once", "reads = 1"},
      {"no_ttl", "Keys stored with no TTL", "writes > 0 AND NOT has_ttl AND deletes = 0 AND ttl_unknown_writes = 0"}};

  /** The totals per layer and key kept at insert ({@code LayerKeyRows}). */
  static final String KEPT = KeptKeys.TABLE;

  /**
   * A key's rows of {@link #KEPT} one of which could make it a key of the no-TTL list: written, with no TTL, no delete
   * and no write of unknown TTL. Every row of a listed key is so (its merged counts are sums), and one of them written.
   */
  private static final String NO_TTL_ROW = "Writes > 0 AND WithTtl = 0 AND Deletes = 0 AND TtlUnknownWrites = 0";

  /** Past this many namespaces the TTL truth's keys are not narrowed to them ({@link #keyTotals}). */
  static final int NAMESPACES_LISTED = 1000;

  private final SqlSource source;
  private final Layer layer;
  private final String keyedFrom;
  private final int windows;
  /** The kept totals, or null where they cannot answer. */
  private final KeptKeys keptKeys;
  /** The kept totals of the layer, merged, as {@code keys} has them; null where they cannot answer. */
  private final String kept;

  /** The largest writes kept at insert, or null where they are read from the spans. */
  private final KeptOperations largest;

  KeySections(SqlSource source, long sinceMicros, Layer layer, int windows, KeptOperations largest) {
    this.source = source;
    this.layer = layer;
    this.largest = largest;
    this.windows = windows;
    this.keyedFrom = "(SELECT * FROM " + TypedSpans.from(sinceMicros, "", KEYED) + " WHERE "
        + ClickHouseReport.predicate(layer) + ")";
    // a report from a start counts the accesses since then, which the kept totals do not tell apart
    this.keptKeys = sinceMicros > 0 || !KeptTable.exists(source, KEPT) ? null : KeptKeys.of(source, layer);
    this.kept = keptKeys == null ? null : keptKeys.merged("");
  }

  /**
   * CTEs {@code ops} and {@code keyed}: one row per access of the layer, with its kind. Left unread (and so not run)
   * where the kept totals and largest writes answer every part.
   */
  private String keyed() {
    return "WITH ops AS (SELECT memory_key AS key, coalesce(memory_namespace, '') AS namespace, "
        + "upper(coalesce(memory_operation, db_operation_name)) AS op, memory_ttl AS ttl, "
        + "position(coalesce(memtrace_unknown, ''), 'memory.ttl') > 0 AS ttl_unknown, memory_value_size AS size, "
        + "start_us FROM " + keyedFrom + " WHERE memory_key IS NOT NULL), "
        + "keyed AS (SELECT *, " + KeyOperations.sqlCase("op") + " AS kind FROM ops WHERE coalesce(op, '') != 'SEARCH')";
  }

  /** CTEs ending in {@code keys}, the totals per key, declared {@code MATERIALIZED} if {@code once}. */
  private String keys(boolean once) {
    if (kept != null) {
      // keyed stays for the largest values, which are writes, not keys, where they are not kept (KeptOperations)
      return keyed() + ", keys AS " + (once ? "MATERIALIZED " : "") + kept + " ";
    }
    return keyed() + ", keys AS " + (once ? "MATERIALIZED " : "") + "(SELECT key, namespace, count() AS accesses, "
        + "countIf(kind = 'read') AS reads, countIf(kind = 'write') AS writes, countIf(kind = 'delete') AS deletes, "
        + "countIf(ttl > 0) > 0 AS has_ttl, maxIf(size, kind = 'write') AS largest_write, max(start_us) AS last_seen, "
        + "minIf(toNullable(start_us), kind = 'write') AS first_write, sumIf(size, kind = 'write') AS bytes_written, "
        + "countIf(kind = 'write' AND ttl_unknown) AS ttl_unknown_writes FROM keyed GROUP BY key, namespace) ";
  }

  /**
   * The totals per key as CTEs ending in {@code keys}, for a statement of its own: the TTL truth's keys with no TTL
   * in a namespace whose other keys have one. From the kept totals, only the namespaces where a key may be one (a
   * row of it such, {@link #NO_TTL_ROW}; asked first, a few ms) are merged, each whole (its keys with a TTL are
   * counted): the same answer, and none merged where every key written has a TTL (merging all the layer's keys with
   * {@code FINAL} took 0.45-0.6 s of CPU at 10M spans). The statement reads {@code keys} twice: where reading them
   * merges rows ({@link KeptKeys#merges}) they are declared {@code MATERIALIZED} (as the statement's settings allow),
   * with only the columns it reads, and merged once (the memory layer's with 20 namespaces listed, in 5 parts,
   * 348-380 ms of CPU against 414-416 ms merged twice with {@code FINAL}).
   */
  String keyTotals() {
    if (kept == null) {
      return keys(false);
    }
    ResultTable namespaces = source.query("SELECT DISTINCT toString(Namespace) AS namespace FROM " + KEPT
        + " WHERE Layer = '" + layer.viewName() + "' AND " + NO_TTL_ROW + " LIMIT " + (NAMESPACES_LISTED + 1));
    String totals = kept;
    if (namespaces.size() <= NAMESPACES_LISTED) {
      List<String> listed = new ArrayList<>();
      for (int i = 0; i < namespaces.size(); i++) {
        listed.add(ClickHouseTraces.literal(namespaces.text(i, "namespace")));
      }
      totals = keptKeys.merged(listed.isEmpty() ? " AND false"
          : " AND Namespace IN (" + String.join(", ", listed) + ")");
    }
    return keyed() + ", keys AS " + (keptKeys.merges() ? "MATERIALIZED " : "") + "(SELECT key, namespace, writes, "
        + "deletes, has_ttl, ttl_unknown_writes FROM " + totals + ") ";
  }

  /**
   * The sections, by id: {@code largest_values}, {@code hot_keys}, the three lists, {@code namespace_growth}.
   *
   * @param statements the Redis layer's counts of keys read from statements ({@link ReportBuilder})
   */
  Map<String, Section> build(Map<String, Long> statements) {
    // the first writes' bounds for the growth windows, once: a materialized CTE of one row, read by two scalar
    // subqueries (docs/fleet.md, "The growth windows' bounds")
    Parts parts = new Parts(source, keys(true) + ", writes AS (SELECT namespace, key, first_write, bytes_written AS "
        + "bytes FROM keys WHERE writes > 0), bounds AS MATERIALIZED (SELECT min(first_write) AS t0, "
        + "max(first_write) AS t1 FROM writes)", "")
        .add("largest", new Parts.Part(largest != null ? largest.largest() : "SELECT key, namespace, op AS operation, "
            + "size AS size_bytes FROM keyed WHERE kind = 'write' AND size IS NOT NULL ORDER BY size DESC, key LIMIT "
            + ClickHouseReport.TOP,
            List.of("key", "namespace", "operation", "size_bytes"), "size_bytes DESC, key"))
        .add("hot", new Parts.Part("SELECT key, namespace, accesses, reads, writes FROM keys "
            + "ORDER BY accesses DESC, key, namespace LIMIT " + ClickHouseReport.TOP,
            List.of("key", "namespace", "accesses", "reads", "writes"), "accesses DESC, key, namespace"));
    for (String[] list : LISTS) {
      parts.add(list[0], new Parts.Part("SELECT key, namespace, reads, writes, largest_write AS size_bytes, "
          + ClickHouseReport.time("last_seen") + " AS last_seen, accesses FROM keys WHERE " + list[2]
          + " ORDER BY largest_write IS NULL, -coalesce(largest_write, 0), accesses DESC, key, namespace LIMIT "
          + ClickHouseReport.LIST, List.of("key", "namespace", "reads", "writes", "size_bytes", "last_seen"),
          "size_bytes IS NULL, -coalesce(size_bytes, 0), accesses DESC, key, namespace"));
    }
    parts.add("namespaces", namespaces());
    parts.add("ttl_unknown", new Parts.Part("SELECT count() AS n FROM keys WHERE writes > 0 AND NOT has_ttl "
        + "AND deletes = 0 AND ttl_unknown_writes > 0", List.of("n"), ""));
    // the bounds as constants: by a window over the writes (min(first_write) OVER ()), which one thread computes
    // over every write, the key sections' statement took 221-270 ms of wall time at 10M spans, 194-221 ms so; joined
    // to each write (CROSS JOIN) more than either; as scalar subqueries of the keys, they computed them again
    parts.add("growth", new Parts.Part("SELECT namespace, toInt64(least(" + (windows - 1) + ", floor((first_write "
        + "- t0) * " + windows + " / greatest(1, t1 - t0 + 1)))) AS win, count() AS new_keys, "
        + "toInt64(coalesce(sum(bytes), 0)) AS bytes, any(t1 - t0) AS range_us FROM (SELECT namespace, first_write, "
        + "bytes, (SELECT t0 FROM bounds) AS t0, (SELECT t1 FROM bounds) AS t1 FROM writes) GROUP BY namespace, win",
        List.of("namespace", "win", "new_keys", "bytes", "range_us"), "namespace, win"));
    Map<String, ResultTable> rows = parts.query();
    Map<String, Section> sections = new LinkedHashMap<>();
    sections.put("largest_values", StatementKeyNotes.sizesUnknown(new Section("largest_values", "Largest values stored",
        null, rows.get("largest")), statements));
    sections.put("hot_keys", StatementKeyNotes.keySources(new Section("hot_keys", "Hot keys", "Most accessed keys.",
        rows.get("hot")), statements));
    for (int l = 0; l < LISTS.length; l++) {
      String[] list = LISTS[l];
      Section section = StatementKeyNotes.unknownKeys(keyList(list[0], list[1], rows.get(list[0]),
          ofList(rows.get("namespaces"), l)), statements);
      if (list[0].equals("no_ttl")) {
        section = StatementKeyNotes.ttlUnknown(section, rows.get("ttl_unknown").number(0, "n"));
      }
      sections.put(list[0], section);
    }
    sections.put("namespace_growth", io.memtrace.collector.embedded.NamespaceGrowth.section(rows.get("growth"),
        windows));
    return sections;
  }

  /**
   * The keys of each list ({@link #LISTS}, by index) per namespace, in one pass over the keys: a row per list and
   * namespace with any, by list, then as each list's section orders them. Asked list by list, the three groupings
   * took 57 ms of CPU at 10M spans, together 21 ms.
   */
  private static Parts.Part namespaces() {
    List<String> counts = new ArrayList<>();
    List<String> indexes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int l = 0; l < LISTS.length; l++) {
      counts.add("countIf(" + LISTS[l][2] + ") AS n" + l);
      indexes.add(String.valueOf(l));
      names.add("n" + l);
    }
    return new Parts.Part("SELECT list, namespace, n FROM (SELECT namespace, " + String.join(", ", counts)
        + " FROM keys GROUP BY namespace) ARRAY JOIN [" + String.join(", ", indexes) + "] AS list, ["
        + String.join(", ", names) + "] AS n WHERE n > 0", List.of("list", "namespace", "n"),
        "list, n DESC, namespace");
  }

  /** The rows of {@link #namespaces} of the list at {@code index}, in their order. */
  private static ResultTable ofList(ResultTable namespaces, int index) {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < namespaces.size(); i++) {
      if (namespaces.number(i, "list") == index) {
        rows.add(namespaces.rows().get(i));
      }
    }
    return new ResultTable(namespaces.columns(), rows, false);
  }

  private static Section keyList(String id, String title, ResultTable rows, ResultTable perNamespace) {
    Map<String, Long> byNamespace = new LinkedHashMap<>();
    long n = 0;
    long rest = 0;
    for (int i = 0; i < perNamespace.size(); i++) {
      long count = perNamespace.number(i, "n");
      n += count;
      if (i < ClickHouseReport.NAMESPACES) {
        byNamespace.put(perNamespace.text(i, "namespace"), count);
      } else {
        rest += count;
      }
    }
    if (rest > 0) {
      byNamespace.put("(other)", rest);
    }
    String note = n > rows.size() ? "First " + rows.size() + " of " + n + "." : null;
    return new Section(id, title, note, rows).with("keys", n).with("by_namespace", byNamespace);
  }
}
