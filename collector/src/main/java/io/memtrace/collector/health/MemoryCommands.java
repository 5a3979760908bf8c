package io.memtrace.collector.health;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.Section;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis commands and bytes per memory call, per store and operation, with the N+1 patterns named: a memory call
 * whose child Redis spans hold {@link MemoryHealth#N_PLUS_ONE} or more of one command on distinct keys issues one
 * command per record (a retrieve or search that GETs each record it found).
 */
public final class MemoryCommands {

  static final String TITLE = "Redis commands per memory call";
  public static final String ID = "memory_commands";
  static final List<String> COLUMNS = List.of("store", "operation", "calls", "redis_commands", "redis_bytes",
      "commands_per_call", "bytes_per_call", "n_plus_one_calls", "n_plus_one");

  private MemoryCommands() {
  }

  /**
   * The section from the calls per store, tenant and operation ({@code store, tenant, operation, calls, commands,
   * bytes, n_plus_one}), summed over tenants, most commands first; the N+1 calls' commands are asked when there are
   * any.
   */
  static Section section(HealthDialect sql, MemoryCalls memoryCalls) {
    ResultTable perOperation = memoryCalls.calls();
    Map<List<String>, long[]> sums = new java.util.TreeMap<>(java.util.Comparator.comparing((List<String> k) -> k.get(0))
        .thenComparing(k -> k.get(1)));
    for (int i = 0; i < perOperation.size(); i++) {
      if (!"calls".equals(perOperation.text(i, "part"))) {
        continue;
      }
      long[] sum = sums.computeIfAbsent(List.of(String.valueOf(perOperation.text(i, "store")),
          String.valueOf(perOperation.text(i, "operation"))), k -> new long[4]);
      sum[0] += perOperation.number(i, "n_calls");
      sum[1] += perOperation.number(i, "commands");
      sum[2] += perOperation.number(i, "bytes");
      sum[3] += perOperation.number(i, "n_plus_one");
    }
    List<Map.Entry<List<String>, long[]>> calls = new ArrayList<>(sums.entrySet());
    calls.sort(java.util.Comparator.comparingLong((Map.Entry<List<String>, long[]> e) -> -e.getValue()[1]));
    Map<String, String> patterns = new HashMap<>();
    long nPlusOne = calls.stream().mapToLong(e -> e.getValue()[3]).sum();
    if (nPlusOne > 0) {
      String n = String.valueOf(MemoryHealth.N_PLUS_ONE);
      String ctes = "WITH m AS " + sql.memorySpans() + ", mc AS (SELECT " + sql.hash("span_id") + " AS call, "
          + "store, operation FROM m), rc AS (SELECT " + sql.hash("parent_span_id") + " AS call, command, key "
          + "FROM " + sql.redisSpans() + " AS r WHERE parent_span_id IS NOT NULL), cc AS (SELECT call, count(*) AS n "
          + "FROM rc GROUP BY call), cf AS (SELECT call, command, count(DISTINCT key) AS keys FROM rc WHERE call IN "
          + "(SELECT call FROM cc WHERE n >= " + n + ") GROUP BY call, command) ";
      ResultTable named = sql.source().query(ctes + "SELECT mc.store AS store, mc.operation AS operation, "
          + "cf.command AS command, count(*) AS calls, max(cf.keys) AS most_keys FROM cf JOIN mc ON mc.call = cf.call "
          + "WHERE cf.keys >= " + MemoryHealth.N_PLUS_ONE + " GROUP BY mc.store, mc.operation, cf.command "
          + "ORDER BY store, operation, calls DESC, command" + sql.settings());
      for (int i = 0; i < named.size(); i++) {
        String at = named.text(i, "store") + "\n" + named.text(i, "operation");
        String pattern = named.text(i, "command") + " per record (up to " + named.number(i, "most_keys")
            + " keys in one call, " + named.number(i, "calls") + " calls)";
        patterns.merge(at, pattern, (a, b) -> a + "; " + b);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<List<String>, long[]> e : calls.subList(0, Math.min(TtlTruth.LIST, calls.size()))) {
      long[] sum = e.getValue();
      String store = e.getKey().get(0);
      String operation = e.getKey().get(1);
      rows.add(Arrays.asList(store, operation, sum[0], sum[1], sum[2], HealthFigures.ratio(sum[1], sum[0]),
          HealthFigures.ratio(sum[2], sum[0]), sum[3], patterns.get(store + "\n" + operation)));
    }
    List<ResultTable.Column> columns = new ArrayList<>();
    for (String c : COLUMNS) {
      columns.add(new ResultTable.Column(c, c.endsWith("per_call") ? "DOUBLE" : c.equals("store")
          || c.equals("operation") || c.equals("n_plus_one") ? "VARCHAR" : "BIGINT"));
    }
    return new Section(ID, TITLE, "The Redis commands each memory call issued (its child "
        + "spans, and the commands retention counted on it) and the bytes they carried, per store and operation, most "
        + "commands first; n_plus_one names the calls that issued one command per record (" + MemoryHealth.N_PLUS_ONE
        + " or more of one command on distinct keys).", new ResultTable(columns, rows, false))
        .with("n_plus_one_calls", nPlusOne);
  }
}
