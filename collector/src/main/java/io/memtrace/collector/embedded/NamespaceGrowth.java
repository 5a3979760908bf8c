package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Section;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's rapid-growth check (namespace growth) over stored spans: the span time range is cut into equal windows,
 * new keys (first written) are counted per namespace and window, and a namespace is flagged when
 * its last window has at least {@link #MIN_KEYS} new keys and more than {@link #FACTOR} times the
 * average of the windows before it.
 */
public final class NamespaceGrowth {

  static final double FACTOR = 3.0;
  static final long MIN_KEYS = 10;

  private NamespaceGrowth() {
  }

  /** @param keys the CTEs that end in {@code keys} ({@link KeySql#keyCtes}) */
  static Section section(SqlSource source, String keys, int windows) {
    ResultTable buckets = source.query(keys
        + ", writes AS (SELECT namespace, key, first_write, bytes_written AS bytes FROM keys WHERE writes > 0), "
        + "bounds AS (SELECT epoch_us(min(first_write)) AS t0, epoch_us(max(first_write)) AS t1 FROM writes) "
        + "SELECT namespace, least(" + (windows - 1) + ", floor((epoch_us(first_write) - t0) * " + windows
        + " / greatest(1, t1 - t0 + 1)))::BIGINT AS win, count(*) AS new_keys, "
        + "coalesce(sum(bytes), 0)::BIGINT AS bytes, any_value(t1 - t0) AS range_us "
        + "FROM writes, bounds GROUP BY namespace, win ORDER BY namespace, win");
    return section(buckets, windows);
  }

  /**
   * The section from the new keys and bytes per namespace and window ({@code namespace, win, new_keys, bytes,
   * range_us}, by namespace and window); any store's.
   */
  public static Section section(ResultTable buckets, int windows) {
    Map<String, long[]> perNamespace = new LinkedHashMap<>();
    Map<String, Long> bytes = new LinkedHashMap<>();
    long rangeMicros = 0;
    for (int i = 0; i < buckets.size(); i++) {
      String ns = buckets.text(i, "namespace");
      perNamespace.computeIfAbsent(ns, n -> new long[windows])[(int) buckets.number(i, "win")] += buckets.number(i, "new_keys");
      bytes.merge(ns, buckets.number(i, "bytes"), Long::sum);
      rangeMicros = buckets.number(i, "range_us");
    }
    List<List<Object>> rows = new ArrayList<>();
    List<String> flagged = new ArrayList<>();
    perNamespace.forEach((ns, counts) -> {
      long last = counts[windows - 1];
      double before = 0;
      for (int w = 0; w < windows - 1; w++) {
        before += counts[w];
      }
      double average = windows > 1 ? before / (windows - 1) : 0;
      boolean rapid = last >= MIN_KEYS && last > FACTOR * average;
      if (rapid) {
        flagged.add(ns);
      }
      List<Object> perWindow = new ArrayList<>();
      for (long c : counts) {
        perWindow.add(c);
      }
      rows.add(List.of(ns, perWindow, last, Math.round(average * 100) / 100.0, bytes.get(ns), rapid));
    });
    ResultTable table = new ResultTable(List.of(new ResultTable.Column("namespace", "VARCHAR"),
        new ResultTable.Column("new_keys_per_window", "BIGINT[]"), new ResultTable.Column("last_window", "BIGINT"),
        new ResultTable.Column("earlier_average", "DOUBLE"), new ResultTable.Column("bytes_written", "BIGINT"),
        new ResultTable.Column("rapid_growth", "BOOLEAN")), rows, false);
    String note = "New keys per window of " + Math.max(1, rangeMicros / windows / 1000) + " ms over " + windows
        + " windows; rapid growth = last window has at least " + MIN_KEYS + " new keys and more than "
        + FACTOR + "x the average before it.";
    return new Section("namespace_growth", "Namespace growth", note, table).with("rapid_growth", flagged);
  }
}
