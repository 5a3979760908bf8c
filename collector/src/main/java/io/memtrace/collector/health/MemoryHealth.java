package io.memtrace.collector.health;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.Section;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory health from the memory-manager spans, per store (namespace or {@code gen_ai.memory.store.id}), per tenant
 * (by the tenant rule) and in all: the {@link HealthFigures}. Four statements, each one grouping of the memory spans
 * by store and tenant; the stores' and tenants' rows are their sums. The fingerprint figures are asked only when
 * some write carries a fingerprint.
 */
public final class MemoryHealth {

  static final String TITLE = "Memory health";
  public static final String ID = "memory_health";
  /** Stores and tenants listed; the rest are in the {@code all} row. */
  static final int LIST = 20;
  /** A memory call with this many commands of one kind on distinct keys issues one per record: an N+1. */
  public static final int N_PLUS_ONE = 5;
  public static final String NO_FINGERPRINTS = "unknown (no fingerprints: capture.fingerprints is off or the agent is "
      + "older)";
  static final List<String> COLUMNS = List.of("scope", "name", "operations", "reads", "writes", "read_write_ratio",
      "never_read", "never_read_share", "searches", "empty_searches", "empty_search_share", "unchanged_rewrites",
      "duplicate_values", "redis_commands_per_op", "redis_bytes_per_op", "n_plus_one_calls", "keys_written");

  private final HealthDialect sql;
  private final boolean tenants;

  /** @param tenants whether a tenant rule is set (else no tenant rows) */
  public MemoryHealth(HealthDialect sql, boolean tenants) {
    this.sql = sql;
    this.tenants = tenants;
  }

  /**
   * The figures: the {@code all} row first, then the stores and the tenants, most operations first.
   *
   * @param calls      the calls joined to their commands ({@link MemoryCalls})
   * @param neverRead  the writes never read per store, when the report already counted them (its wasted writes of
   *                   the memory layer, with no tenant rule); null to count them here
   */
  public List<HealthFigures> figures(MemoryCalls calls, Map<String, Long> neverRead) {
    Map<List<String>, long[]> parts = new LinkedHashMap<>();
    ResultTable perOperation = calls.calls();
    for (int i = 0; i < perOperation.size(); i++) {
      long[] p = part(parts, perOperation, i);
      p[0] += perOperation.number(i, "n_calls");
      p[1] += perOperation.number(i, "reads");
      p[2] += perOperation.number(i, "writes");
      p[4] += perOperation.number(i, "searches");
      p[5] += perOperation.number(i, "empty_searches");
      p[8] += perOperation.number(i, "commands");
      p[9] += perOperation.number(i, "bytes");
      p[10] += perOperation.number(i, "n_plus_one");
      p[11] += perOperation.number(i, "keys_written");
    }
    long fingerprinted = calls.total("fingerprinted");
    String m = "WITH m AS " + sql.memorySpans() + " ";
    // Redis's expiries and evictions end a value's life too: where notifications reported any, the writes never read
    // are counted here with them, not taken from the report's wasted writes (which know the spans only)
    boolean removals = sql.source().query("SELECT 1 AS any FROM " + sql.removals() + " AS n LIMIT 1").size() > 0;
    if (removals) {
      neverRead = null;
    }
    if (neverRead != null) {
      neverRead.forEach((store, n) -> parts.computeIfAbsent(Arrays.asList(store, null), k -> new long[12])[3] = n);
    }
    if (neverRead == null || fingerprinted > 0) {
      // each write followed to the next event of its key (by a hash of the store and key: sorting on the strings
      // held them all), and to the key's previous write when fingerprints are kept; only the writes with a
      // fingerprint when the never-read writes are counted already
      String over = "PARTITION BY place ORDER BY t, access = 'read'";
      String previous = fingerprinted == 0 ? sql.nullText()
          : sql.shift(false, "fingerprint", "PARTITION BY place, access ORDER BY t");
      String events = neverRead == null ? "key IS NOT NULL AND access IN ('read', 'write', 'delete')"
          : "key IS NOT NULL AND access = 'write' AND fingerprint IS NOT NULL";
      // a removal: an expiry or eviction of a Redis key of a memory key of its store (its namespace), as the record's
      // timeline pairs them (KeyRecord)
      String removed = !removals ? "" : " UNION ALL SELECT k.store, " + sql.nullText() + " AS tenant, "
          + sql.hash("k.store, k.key") + " AS place, 'removed' AS access, NULL AS ttl, n.t AS end_us, " + sql.nullText()
          + " AS fingerprint, n.t AS t FROM " + sql.removals() + " AS n INNER JOIN (SELECT DISTINCT store, key FROM m "
          + "WHERE key IS NOT NULL AND access = 'write') AS k ON n.namespace = k.store WHERE "
          + sql.recordKey("n.key", "k.key");
      ResultTable sequence = sql.source().query(m + ", e AS (SELECT store, tenant, " + sql.hash("store, key")
          + " AS place, access, ttl, end_us, fingerprint, CASE WHEN access = 'read' THEN start_us ELSE end_us END AS t "
          + "FROM m WHERE " + events + " AND coalesce(status_code, '') <> 'ERROR'" + removed + "), "
          + "f AS (SELECT store, tenant, access, ttl, end_us, fingerprint, " + sql.shift(true, "access", over)
          + " AS next_access, " + sql.shift(true, "t", over) + " AS next_t, " + previous + " AS previous FROM e) "
          + "SELECT store, tenant, sum(CASE WHEN next_access IN ('write', 'delete', 'removed') OR (ttl > 0 AND end_us + ttl "
          + "* 1000000 <= coalesce(next_t, " + sql.nowMicros() + ")) THEN 1 ELSE 0 END) AS never_read, "
          + "sum(CASE WHEN fingerprint IS NOT NULL AND fingerprint = previous THEN 1 ELSE 0 END) AS unchanged "
          + "FROM f WHERE access = 'write' GROUP BY store, tenant" + sql.settings());
      for (int i = 0; i < sequence.size(); i++) {
        long[] p = part(parts, sequence, i);
        if (neverRead == null) {
          p[3] = sequence.number(i, "never_read");
        }
        p[6] = sequence.number(i, "unchanged");
      }
    }
    Map<String, Long> duplicates = new LinkedHashMap<>();
    if (fingerprinted > 0) {
      // per store over all its keys, per tenant over the tenant's own keys: two groupings of the same pairs
      String shared = "SELECT %s AS name, sum(keys - 1) AS duplicates FROM (SELECT %s, fingerprint, count(DISTINCT key) "
          + "AS keys FROM d%s GROUP BY %s, fingerprint) AS g WHERE keys > 1 GROUP BY %s";
      ResultTable rows = sql.source().query(m + ", d AS (SELECT store, tenant, fingerprint, key FROM m "
          + "WHERE access = 'write' AND fingerprint IS NOT NULL AND key IS NOT NULL GROUP BY store, tenant, fingerprint, "
          + "key), u AS (SELECT 'store' AS scope, x.* FROM (" + String.format(shared, "store", "store", "", "store", "store")
          + ") AS x UNION ALL SELECT 'tenant' AS scope, y.* FROM (" + String.format(shared, "tenant", "store, tenant",
          " WHERE tenant IS NOT NULL", "store, tenant", "tenant") + ") AS y) SELECT * FROM u" + sql.settings());
      for (int i = 0; i < rows.size(); i++) {
        duplicates.merge(rows.text(i, "scope") + "\n" + rows.text(i, "name"), rows.number(i, "duplicates"), Long::sum);
      }
    }
    return rollUp(parts, fingerprinted > 0, duplicates);
  }

  private static long[] part(Map<List<String>, long[]> parts, ResultTable table, int row) {
    return parts.computeIfAbsent(Arrays.asList(table.text(row, "store"), table.text(row, "tenant")), k -> new long[12]);
  }

  private List<HealthFigures> rollUp(Map<List<String>, long[]> parts, boolean fingerprints,
      Map<String, Long> duplicates) {
    Map<String, HealthFigures> stores = new LinkedHashMap<>();
    Map<String, HealthFigures> byTenant = new LinkedHashMap<>();
    HealthFigures all = new HealthFigures("all", "(all)", 0, 0, 0, 0, 0, 0, fingerprints ? 0L : null,
        fingerprints ? 0L : null, 0, 0, 0, 0);
    for (Map.Entry<List<String>, long[]> e : parts.entrySet()) {
      long[] p = e.getValue();
      HealthFigures f = new HealthFigures("", "", p[0], p[1], p[2], p[3], p[4], p[5], fingerprints ? p[6] : null,
          null, p[8], p[9], p[10], p[11]);
      all = all.plus(f);
      String store = e.getKey().get(0);
      stores.merge(store, f.named("store", store), HealthFigures::plus);
      String tenant = e.getKey().get(1);
      if (tenant != null) {
        byTenant.merge(tenant, f.named("tenant", tenant), HealthFigures::plus);
      }
    }
    List<HealthFigures> out = new ArrayList<>();
    long allDuplicates = duplicates.entrySet().stream().filter(e -> e.getKey().startsWith("store\n"))
        .mapToLong(Map.Entry::getValue).sum();
    out.add(all.withDuplicates(fingerprints ? allDuplicates : null));
    stores.replaceAll((name, f) -> f.withDuplicates(fingerprints ? duplicates.getOrDefault("store\n" + name, 0L) : null));
    byTenant.replaceAll((name, f) -> f.withDuplicates(fingerprints ? duplicates.getOrDefault("tenant\n" + name, 0L)
        : null));
    Comparator<HealthFigures> most = Comparator.comparingLong(HealthFigures::operations).reversed()
        .thenComparing(HealthFigures::name);
    stores.values().stream().sorted(most).limit(LIST).forEach(out::add);
    if (tenants) {
      byTenant.values().stream().sorted(most).limit(LIST).forEach(out::add);
    }
    return out;
  }

  /** The report's section of {@link #figures}. */
  Section section(List<HealthFigures> figures) {
    List<List<Object>> rows = new ArrayList<>();
    for (HealthFigures f : figures) {
      rows.add(Arrays.asList(f.scope(), f.name(), f.operations(), f.reads(), f.writes(), f.readWriteRatio(),
          f.neverRead(), f.neverReadShare(), f.searches(), f.emptySearches(), f.emptySearchShare(), f.unchanged(),
          f.duplicates(), f.commandsPerOperation(), f.bytesPerOperation(), f.nPlusOne(), f.keysWritten()));
    }
    List<ResultTable.Column> columns = new ArrayList<>();
    for (String c : COLUMNS) {
      columns.add(new ResultTable.Column(c, c.endsWith("ratio") || c.endsWith("share") || c.endsWith("_op") ? "DOUBLE"
          : c.equals("scope") || c.equals("name") ? "VARCHAR" : "BIGINT"));
    }
    HealthFigures all = figures.get(0);
    String note = "The memory calls of each store (namespace or gen_ai.memory.store.id)"
        + (tenants ? " and each tenant (memory-state.tenant)" : " (no tenant rule: memory-state.tenant)")
        + ", and of all: writes never read before they were overwritten, deleted, expired or evicted (by the TTL a "
        + "call asked for, or by Redis's keyspace notifications where recorded); searches that found "
        + "nothing; reads per write; rewrites of a key with the value it held (unchanged_rewrites) and keys holding a "
        + "value another key of the store holds (duplicate_values; a tenant's, among its own keys), by "
        + "memory.value.fingerprint; Redis commands and "
        + "bytes per call (child spans and retention's counts); calls that issued one command per record "
        + "(n_plus_one_calls: " + N_PLUS_ONE + " or more of one command on distinct keys); distinct keys written."
        + (all.unchanged() == null ? " Unchanged rewrites and duplicate values: " + NO_FINGERPRINTS + "." : "");
    Section section = new Section(ID, TITLE, note, new ResultTable(columns, rows, false))
        .with("operations", all.operations()).with("never_read", all.neverRead())
        .with("empty_searches", all.emptySearches()).with("n_plus_one_calls", all.nPlusOne());
    return section.with("unchanged_rewrites", all.unchanged() == null ? NO_FINGERPRINTS : all.unchanged())
        .with("duplicate_values", all.duplicates() == null ? NO_FINGERPRINTS : all.duplicates());
  }
}
