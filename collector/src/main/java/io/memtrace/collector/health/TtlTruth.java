package io.memtrace.collector.health;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.Section;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's TTL truth: whether the TTL a memory call asked for is the one Redis got. Four findings, each listed
 * (the latest or largest {@link #LIST}) and counted:
 * <ul>
 * <li>{@code ttl_lost} / {@code ttl_differs}: a memory call that asked for a TTL ({@code memory.ttl} > 0 on the memory
 *     span) whose Redis commands (its child Redis spans) set none, or only another. A command sets a TTL when its span
 *     carries {@code memory.ttl} (SET EX/PX, SETEX, PSETEX, EXPIRE, PEXPIRE) or it is of the EXPIRE family. A call whose
 *     commands are not in the store (retention compressed them, or none were traced) is counted as unchecked;</li>
 * <li>{@code no_ttl}: keys written with no TTL in a namespace whose other keys have one;</li>
 * <li>{@code ttl_drift}: keys of one record (by the {@link RecordPattern}) whose TTLs end more than a second apart,
 *     or of which some have a TTL and others none;</li>
 * <li>{@code stale_read}: reads that found a value older than the TTL its write set (lineage: the value's age at the
 *     read is more than that TTL), so the TTL did not take.</li>
 * </ul>
 */
public final class TtlTruth {

  public static final String ID = "ttl_truth";
  static final String TITLE = "TTL truth";
  static final int LIST = 20;
  static final List<String> COLUMNS = List.of("finding", "store", "key", "asked_ttl_s", "got_ttl_s", "detail", "trace_id");
  /** Commands that set or clear a TTL without a memory.ttl of their own (EXPIREAT's is a time, PERSIST's none). */
  public static final String TTL_COMMANDS = "('EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT', 'PERSIST', 'GETEX')";
  /** How far apart the TTLs of one record's keys may end before they count as drifting. */
  static final long DRIFT_MICROS = 1_000_000;

  private TtlTruth() {
  }

  /** @param calls the memory calls joined to their commands, which hold the first finding's rows and counts */
  static Section section(HealthDialect sql, RecordPattern pattern, MemoryCalls calls) {
    List<List<Object>> rows = new ArrayList<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Long> lostByStore = new TreeMap<>();
    asked(calls, rows, counts, lostByStore);
    List<String> unfinished = new ArrayList<>();
    for (String finding : List.of("no_ttl", "ttl_drift", "stale_read")) {
      try {
        switch (finding) {
          case "no_ttl" -> noTtl(sql, rows, counts);
          case "ttl_drift" -> drift(sql, pattern, rows, counts);
          default -> stale(sql, rows, counts);
        }
      } catch (io.memtrace.collector.CollectorException e) {
        // the others still print (lineage's stale reads may run out of time on a large store)
        counts.put(finding, null);
        unfinished.add(finding + " not computed: " + e.getMessage());
      }
    }
    List<ResultTable.Column> columns = new ArrayList<>();
    for (String c : COLUMNS) {
      columns.add(new ResultTable.Column(c, c.endsWith("_s") ? "BIGINT" : "VARCHAR"));
    }
    String note = "Memory calls that asked for a TTL whose Redis commands set none (ttl_lost) or another (ttl_differs); "
        + "keys written with no TTL in namespaces whose other keys have one (no_ttl); keys of one record whose TTLs end "
        + "more than 1 s apart or not all of which have one (ttl_drift, record pattern " + pattern.text() + "); reads "
        + "that found a value older than its write's TTL (stale_read). The latest " + LIST + " of each."
        + (counts.get("ttl_unchecked") > 0 ? " " + counts.get("ttl_unchecked") + " memory calls that asked for a TTL "
        + "are unchecked: none of their Redis commands is in the store (compressed by retention, or not traced)." : "")
        + (unfinished.isEmpty() ? "" : " " + String.join("; ", unfinished) + "; narrow it with --since.");
    Section section = new Section(ID, TITLE, note, new ResultTable(columns, rows, false));
    counts.forEach((k, v) -> section.with(k, v == null ? "not computed" : v));
    return section.with("ttl_lost_by_store", lostByStore).with("record_pattern", pattern.text());
  }

  /**
   * The memory calls whose Redis commands set no TTL, or only others than the one asked for (a command sets one when
   * its span carries memory.ttl, or it is of the EXPIRE family), and the calls none of whose commands is in the store.
   */
  private static void asked(MemoryCalls calls, List<List<Object>> rows, Map<String, Long> counts,
      Map<String, Long> lostByStore) {
    for (String finding : List.of("ttl_lost", "ttl_differs", "ttl_unchecked")) {
      counts.put(finding, calls.total(finding));
    }
    ResultTable perOperation = calls.calls();
    for (int i = 0; i < perOperation.size(); i++) {
      if (perOperation.number(i, "ttl_lost") > 0) {
        lostByStore.merge(perOperation.text(i, "store"), perOperation.number(i, "ttl_lost"), Long::sum);
      }
    }
    ResultTable found = calls.ttl();
    for (int i = 0; i < found.size(); i++) {
      boolean lost = "ttl_lost".equals(found.text(i, "finding"));
      rows.add(row(found.text(i, "finding"), found.text(i, "store"), found.text(i, "key"), found.number(i, "asked"),
          lost ? null : found.number(i, "got"),
          lost ? "its Redis commands set no TTL" : "its Redis commands set " + found.number(i, "got") + " s",
          found.text(i, "trace_id")));
    }
  }

  private static void noTtl(HealthDialect sql, List<List<Object>> rows, Map<String, Long> counts) {
    ResultTable listed = sql.source().query(sql.keyTotals() + ", ttl_ns AS (SELECT namespace, count(*) AS with_ttl "
        + "FROM keys WHERE has_ttl GROUP BY namespace), "
        + "x AS (SELECT k.key AS key, k.namespace AS namespace, n.with_ttl AS with_ttl FROM keys AS k "
        + "JOIN ttl_ns AS n ON n.namespace = k.namespace WHERE k.writes > 0 AND NOT k.has_ttl AND k.deletes = 0 "
        + "AND k.ttl_unknown_writes = 0) "
        + "SELECT key, namespace, with_ttl, count(*) OVER () AS n FROM x ORDER BY namespace, key LIMIT " + LIST
        + sql.settings());
    counts.put("no_ttl", listed.size() == 0 ? 0 : listed.number(0, "n"));
    for (int i = 0; i < listed.size(); i++) {
      long others = listed.number(i, "with_ttl");
      rows.add(row("no_ttl", listed.text(i, "namespace"), listed.text(i, "key"), null, null,
          "written with no TTL; " + others + " other key" + (others == 1 ? "" : "s") + " of its namespace have one",
          null));
    }
  }

  private static void drift(HealthDialect sql, RecordPattern pattern, List<List<Object>> rows,
      Map<String, Long> counts) {
    String prefix = pattern.prefix();
    String keys = "(SELECT * FROM (SELECT namespace, key, ttl, end_us, " + sql.extract("key", pattern.regex())
        + " AS record FROM " + (prefix.isEmpty() ? sql.redisSpans() : sql.redisSpans(prefix)) + " AS r" + (prefix.isEmpty() ? "" : " WHERE key LIKE "
        + sql.literal(prefix + "%")) + ") AS x WHERE record IS NOT NULL)";
    ResultTable listed = sql.source().query("WITH k AS (SELECT record, key, min(namespace) AS k_ns, "
        + "max(CASE WHEN ttl > 0 THEN end_us + ttl * 1000000 END) AS expires_us FROM " + keys + " AS e "
        + "GROUP BY record, key), "
        + "d AS (SELECT record, min(k_ns) AS ns, count(*) AS keys, count(expires_us) AS with_ttl, "
        + "max(expires_us) - min(expires_us) AS spread_us FROM k GROUP BY record) "
        + "SELECT record, ns, keys, with_ttl, spread_us, count(*) OVER () AS n FROM d WHERE keys > 1 "
        + "AND with_ttl > 0 AND (with_ttl < keys OR spread_us > " + DRIFT_MICROS + ") "
        + "ORDER BY spread_us DESC, record LIMIT " + LIST + sql.settings());
    counts.put("ttl_drift", listed.size() == 0 ? 0 : listed.number(0, "n"));
    for (int i = 0; i < listed.size(); i++) {
      long keysOf = listed.number(i, "keys");
      long withTtl = listed.number(i, "with_ttl");
      String detail = keysOf + " keys; " + (withTtl < keysOf ? (keysOf - withTtl) + " with no TTL; " : "")
          + "TTLs end " + seconds(listed.number(i, "spread_us") / 1000.0) + " apart";
      rows.add(row("ttl_drift", listed.text(i, "ns"), listed.text(i, "record"), null, null, detail, null));
    }
  }

  private static void stale(HealthDialect sql, List<List<Object>> rows, Map<String, Long> counts) {
    ResultTable listed = sql.source().query("SELECT key, namespace, write_ttl, value_age_ms, read_trace_id, "
        + "count(*) OVER () AS n FROM " + sql.lineage() + " AS l WHERE writer = 'seen' AND coalesce(found, true) "
        + "AND write_ttl > 0 AND value_age_ms > write_ttl * 1000 "
        + "ORDER BY read_time_us DESC, read_trace_id, key LIMIT " + LIST + sql.settings());
    counts.put("stale_read", listed.size() == 0 ? 0 : listed.number(0, "n"));
    for (int i = 0; i < listed.size(); i++) {
      rows.add(row("stale_read", listed.text(i, "namespace"), listed.text(i, "key"), listed.number(i, "write_ttl"),
          null, "read " + seconds(((Number) listed.value(i, "value_age_ms")).doubleValue()) + " after its write",
          listed.text(i, "read_trace_id")));
    }
  }

  /** Milliseconds as seconds to the tenth. */
  static String seconds(double millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
