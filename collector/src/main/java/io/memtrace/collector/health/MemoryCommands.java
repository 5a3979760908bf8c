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

  public static final String ID = "memory_commands";
  static final List<String> COLUMNS = List.of("store", "operation", "calls", "redis_commands", "redis_bytes",
      "commands_per_call", "bytes_per_call", "n_plus_one_calls", "n_plus_one");

  private MemoryCommands() {
  }

  /**
   * CTEs over the memory spans ({@code m}) joined to their child Redis spans: {@code c}, one row per memory call and
   * command ({@code n} commands on {@code keys} distinct keys, {@code bytes}); {@code p}, one row per memory call
   * ({@code call_commands} with retention's counts, {@code call_bytes}, {@code fan}: the most distinct keys of one command when
   * that is an N+1, else 0). Ends ready for a SELECT.
   */
  static String perCall(HealthDialect sql) {
    return "WITH m AS " + sql.memorySpans() + ", r AS " + sql.redisSpans() + ", "
        + "j AS (SELECT m.store AS store, m.tenant AS tenant, m.operation AS operation, m.trace_id AS trace_id, "
        + "m.span_id AS span_id, coalesce(m.compressed, 0) AS compressed, r.trace_id AS child, r.command AS command, "
        + "r.key AS key, r.value_size AS value_size FROM m LEFT JOIN r ON r.trace_id = m.trace_id "
        + "AND r.parent_span_id = m.span_id), "
        + "c AS (SELECT store, tenant, operation, trace_id, span_id, command, max(compressed) AS c_compressed, "
        + "count(child) AS n, count(DISTINCT key) AS keys, sum(coalesce(value_size, 0)) AS c_bytes FROM j "
        + "GROUP BY store, tenant, operation, trace_id, span_id, command), "
        + "p AS (SELECT store, tenant, operation, trace_id, span_id, max(c_compressed) + sum(n) AS call_commands, "
        + "sum(c_bytes) AS call_bytes, max(CASE WHEN keys >= " + MemoryHealth.N_PLUS_ONE + " THEN keys ELSE 0 END) AS fan "
        + "FROM c GROUP BY store, tenant, operation, trace_id, span_id) ";
  }

  public static Section section(HealthDialect sql) {
    ResultTable calls = sql.source().query(perCall(sql) + "SELECT store, operation, count(*) AS calls, "
        + "sum(call_commands) AS commands, sum(call_bytes) AS bytes, sum(CASE WHEN fan > 0 THEN 1 ELSE 0 END) "
        + "AS n_plus_one FROM p GROUP BY store, operation ORDER BY commands DESC, store, operation" + sql.settings());
    Map<String, String> patterns = new HashMap<>();
    boolean any = false;
    for (int i = 0; i < calls.size(); i++) {
      any |= calls.number(i, "n_plus_one") > 0;
    }
    if (any) {
      ResultTable named = sql.source().query(perCall(sql) + "SELECT store, operation, command, count(*) AS calls, "
          + "max(keys) AS most_keys FROM c WHERE keys >= " + MemoryHealth.N_PLUS_ONE
          + " GROUP BY store, operation, command ORDER BY store, operation, calls DESC, command" + sql.settings());
      for (int i = 0; i < named.size(); i++) {
        String at = named.text(i, "store") + "\n" + named.text(i, "operation");
        String pattern = named.text(i, "command") + " per record (up to " + named.number(i, "most_keys")
            + " keys in one call, " + named.number(i, "calls") + " calls)";
        patterns.merge(at, pattern, (a, b) -> a + "; " + b);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < calls.size() && rows.size() < TtlTruth.LIST; i++) {
      long n = calls.number(i, "calls");
      rows.add(Arrays.asList(calls.text(i, "store"), calls.text(i, "operation"), n, calls.number(i, "commands"),
          calls.number(i, "bytes"), HealthFigures.ratio(calls.number(i, "commands"), n),
          HealthFigures.ratio(calls.number(i, "bytes"), n), calls.number(i, "n_plus_one"),
          patterns.get(calls.text(i, "store") + "\n" + calls.text(i, "operation"))));
    }
    List<ResultTable.Column> columns = new ArrayList<>();
    for (String c : COLUMNS) {
      columns.add(new ResultTable.Column(c, c.endsWith("per_call") ? "DOUBLE" : c.equals("store")
          || c.equals("operation") || c.equals("n_plus_one") ? "VARCHAR" : "BIGINT"));
    }
    long nPlusOne = 0;
    for (int i = 0; i < calls.size(); i++) {
      nPlusOne += calls.number(i, "n_plus_one");
    }
    return new Section(ID, "Redis commands per memory call", "The Redis commands each memory call issued (its child "
        + "spans, and the commands retention counted on it) and the bytes they carried, per store and operation, most "
        + "commands first; n_plus_one names the calls that issued one command per record (" + MemoryHealth.N_PLUS_ONE
        + " or more of one command on distinct keys).", new ResultTable(columns, rows, false))
        .with("n_plus_one_calls", nPlusOne);
  }
}
