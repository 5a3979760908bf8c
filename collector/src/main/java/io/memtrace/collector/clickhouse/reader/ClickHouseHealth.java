package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.clickhouse.MemoryCallTotals;
import io.memtrace.collector.health.HealthDialect;
import io.memtrace.collector.health.HealthScope;
import io.memtrace.collector.health.TenantSql;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.reader.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * The ClickHouse store's side of the TTL truth and memory health sections: its SQL over {@link TypedSpans}.
 *
 * @param scope         its key totals are the report layer's CTEs ending in {@code keys}
 * @param reportLineage the report's lineage, which may hold the stale reads its lineage sections found
 * @param since         the report's start, epoch microseconds; 0 for none
 */
record ClickHouseHealth(HealthScope scope, ReportLineage reportLineage, long since) implements HealthDialect {

  private static final List<String> MEMORY = List.of("trace_id", "span_id", "start_us", "end_us", "memory_operation",
      "memory_namespace", "memory_key", "memory_ttl", "memory_result_count", "gen_ai_memory_record_count",
      "memtrace_compressed_count", "status_code");

  /**
   * The spans that carry a value's fingerprint, which the typed columns leave out: found in otel_traces through its
   * bloom filter on the attributes' keys, so a store with few of them (or none) reads few granules of that map, not
   * every span's.
   */
  private static final String FINGERPRINTS = "(SELECT TraceId, SpanId, nullIf(SpanAttributes['memory.value.fingerprint'], "
      + "'') AS fingerprint FROM otel_traces WHERE mapContains(SpanAttributes, 'memory.value.fingerprint'))";
  private static final List<String> REDIS = List.of("trace_id", "parent_span_id", "end_us", "db_operation_name",
      "memory_key", "memory_namespace", "memory_ttl", "memory_value_size", "db_system_name", "db_system");

  ClickHouseHealth(HealthScope scope, long sinceMicros) {
    this(scope, new ReportLineage(scope.source()), sinceMicros);
  }

  @Override
  public String memorySpans() {
    List<String> columns = new ArrayList<>(MEMORY);
    String spans;
    if (TenantSql.readsAttributes(scope.tenant())) {
      // the attributes come from otel_traces, and the fingerprint with them
      columns.add("attributes");
      columns.add("memory_value_fingerprint");
      spans = TypedSpans.from(since, "", columns);
    } else {
      spans = "(SELECT m.*, f.fingerprint AS memory_value_fingerprint FROM " + TypedSpans.from(since, "", columns)
          + " AS m LEFT JOIN " + FINGERPRINTS + " AS f ON f.TraceId = m.trace_id AND f.SpanId = m.span_id)";
    }
    return "(SELECT trace_id, span_id, start_us, end_us, lower(memory_operation) AS operation, "
        + LineageViews.MEMORY_ACCESS + " AS access, coalesce(memory_namespace, '(none)') AS store, memory_key AS key, "
        + "memory_ttl AS ttl, coalesce(memory_result_count, if(lower(memory_operation) IN ('retrieve', 'search'), "
        + "gen_ai_memory_record_count, NULL)) AS results, memory_value_fingerprint AS fingerprint, "
        + "memtrace_compressed_count AS compressed, status_code, "
        + TenantSql.of(scope.tenant(), this, a -> "nullIf(attributes[" + literal(a) + "], '')", "memory_key")
        + " AS tenant "
        + "FROM " + spans + " WHERE " + ClickHouseReport.predicate(Layer.MEMORY) + ")";
  }

  @Override
  public String redisSpans() {
    return redisSpansWhere("");
  }

  private String redisSpansWhere(String condition) {
    return "(SELECT trace_id, parent_span_id, end_us, upper(db_operation_name) AS command, memory_key AS key, "
        + "memory_namespace AS namespace, memory_ttl AS ttl, memory_value_size AS value_size FROM "
        + TypedSpans.from(since, condition, REDIS) + " WHERE " + ClickHouseReport.predicate(Layer.REDIS) + ")";
  }

  /**
   * The Redis spans named in {@code memtrace_ops} under a key that begins with {@code keyPrefix}, where those are few
   * ({@link #FEW_KEYED} operations or fewer): the ops table is sorted by namespace and key, so ClickHouse reads only
   * the granules of keys with the prefix, and the spans table (sorted by trace) is then read by the ids found. Every
   * span with a key has its row in {@code memtrace_ops} under that key, so no span the statement asks for is left out.
   * At 10M spans, the TTL drift of a record pattern that no key matches took 93-112 ms of CPU this way against
   * 628-664 ms for reading every span's key; for a prefix of 438,000 operations 2.3-2.6 s against 1.3-1.4 s, so
   * above the bound the spans are read whole.
   */
  @Override
  public String redisSpans(String keyPrefix) {
    String named = "SELECT TraceId, SpanId FROM memtrace_ops WHERE startsWith(Key, " + literal(keyPrefix) + ")";
    long found = scope.source().query("SELECT count() AS n FROM (" + named + " LIMIT " + (FEW_KEYED + 1) + ")")
        .number(0, "n");
    if (found > FEW_KEYED) {
      return redisSpans();
    }
    // GLOBAL: on a cluster the spans are sharded by trace and the ops by key
    return redisSpansWhere("(s.TraceId, s.SpanId) GLOBAL IN (" + named + ")");
  }

  /** How many operations under a key prefix {@link #redisSpans(String)} reads by their ids. */
  static final int FEW_KEYED = 50_000;

  /** The table of memory calls kept at insert ({@code MemoryCallRows}). */
  static final String CALLS = "memtrace_memory_calls";

  /**
   * The calls as {@code memtrace_memory_calls} keeps them, merged (a call's rows joined), where the store has that table and
   * its rows answer this report: no start (a call's commands before it are not told apart from those after) and no
   * tenant rule that reads attributes (the table keeps the key, which a key pattern reads).
   */
  @Override
  public String keptCalls() {
    if (since > 0 || TenantSql.readsAttributes(scope.tenant()) || !KeptTable.exists(scope.source(), CALLS)) {
      return null;
    }
    // each column as its own type, not the aggregate's (SimpleAggregateFunction reads as text in the client)
    String key = "CAST(Key AS Nullable(String))";
    return "(SELECT toString(TraceId) AS trace_id, toString(SpanId) AS span_id, toInt64(Start) AS start_us, "
        + "toString(Store) AS store, " + TenantSql.of(scope.tenant(), this, a -> nullText(), key) + " AS tenant, "
        + "toString(Operation) AS operation, " + LineageViews.MEMORY_ACCESS + " AS access, " + key + " AS key, "
        + "CAST(Ttl AS Nullable(Int64)) AS ttl, CAST(Results AS Nullable(Int64)) AS results, "
        + "Fingerprinted > 0 AS has_fingerprint, toInt64(Carried) AS carried, if(Error > 0, 'ERROR', 'OK') AS "
        + "status_code, toInt64(Commands) AS n, toInt64(Bytes) AS bytes, toInt64(TtlCommands) AS ttl_commands, "
        + "CAST(LowTtl AS Nullable(Int64)) AS low, CAST(GotTtl AS Nullable(Int64)) AS got, CAST(RedisKey AS "
        + "Nullable(String)) AS redis_key, " + MemoryCallTotals.FAN + " AS fan FROM (SELECT *, toString(Operation) AS "
        + "memory_operation FROM " + MemoryCallTotals.mergedCalls("") + " WHERE IsCall > 0))";
  }

  /**
   * Memory health's counts as {@code memtrace_memory_call_counts} keeps them
   * ({@link KeptCallTotals}), where the store has them and they answer this report: no start and no tenant rule (the
   * totals are per store and operation, not per tenant).
   */
  @Override
  public String keptCallParts(int list) {
    if (since > 0 || scope.tenant().any() || !KeptTable.exists(scope.source(), MemoryCallTotals.COUNTS)) {
      return null;
    }
    boolean callsRead = scope.source().query(KeptCallTotals.anyCallsRead()).number(0, "n") > 0;
    return KeptCallTotals.statement(scope.layer() == Layer.REDIS, list, callsRead);
  }

  @Override
  public String lineage() {
    String stale = reportLineage.staleReads(scope.layer(), since);
    if (stale != null) {
      return stale;
    }
    return "(SELECT key, namespace, found, writer, write_ttl, value_age_ms, read_trace_id, read_time_us FROM ("
        + reportLineage.layerRows(scope.layer(), since) + "))";
  }

  @Override
  public String removals() {
    return "(SELECT toString(Namespace) AS namespace, Key AS key, toUnixTimestamp64Micro(Timestamp) AS t FROM "
        + "memtrace_key_notifications WHERE Kind IN ('expiry', 'eviction')" + (since > 0
        ? " AND Timestamp >= fromUnixTimestamp64Micro(" + since + ")" : "") + ")";
  }

  @Override
  public String recordKey(String redisKey, String key) {
    return "endsWith(" + redisKey + ", " + key + ") AND (" + redisKey + " = " + key + " OR NOT match(substring("
        + redisKey + ", length(" + redisKey + ") - length(" + key + "), 1), '[A-Za-z0-9]'))";
  }

  @Override
  public String shift(boolean lead, String expr, String over) {
    return lead ? "leadInFrame(toNullable(" + expr + ")) OVER (" + over + " ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)"
        : "lagInFrame(toNullable(" + expr + ")) OVER (" + over + " ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)";
  }

  @Override
  public String extract(String text, String regex) {
    return "nullIf(extract(" + text + ", " + literal(regex) + "), '')";
  }

  @Override
  public String hash(String columns) {
    return "cityHash64(" + columns + ")";
  }

  @Override
  public String nullText() {
    return "CAST(NULL AS Nullable(String))";
  }

  @Override
  public String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Override
  public String nowMicros() {
    return "toUnixTimestamp64Micro(now64(6))";
  }

  @Override
  public String settings() {
    return " SETTINGS join_use_nulls = 1, enable_materialized_cte = 1";
  }

  @Override
  public String materialized() {
    return "MATERIALIZED ";
  }
}
