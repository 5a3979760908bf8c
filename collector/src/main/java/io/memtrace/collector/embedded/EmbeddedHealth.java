package io.memtrace.collector.embedded;

import io.memtrace.collector.health.HealthDialect;
import io.memtrace.collector.health.HealthScope;
import io.memtrace.collector.health.TenantSql;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.lineage.PastTtlReads;
import io.memtrace.collector.reader.Layer;
import java.util.regex.Pattern;

/**
 * The embedded store's side of the TTL truth and memory health sections: DuckDB SQL over its typed spans.
 *
 * @param scope      its key totals are the report layer's CTEs ending in {@code keys} ({@link KeySql#keyCtes})
 * @param memoryFrom what the memory layer reads ({@link SpanTable#of(Layer)})
 * @param spansFrom  every span with the typed columns
 * @param since      the report's condition on {@code start_time} ({@code AND …}), or empty
 */
record EmbeddedHealth(HealthScope scope, String memoryFrom, String spansFrom, String since) implements HealthDialect {

  /** A memory call's result count: its own, else for a retrieve or search the GenAI record count. */
  static final String RESULTS = "coalesce(memory_result_count, CASE WHEN lower(memory_operation) IN ('retrieve', "
      + "'search') THEN gen_ai_memory_record_count END)";
  /** A memory call's store: its namespace (or GenAI store id), {@code (none)} when it has neither. */
  static final String STORE = "coalesce(memory_namespace, '(none)')";
  /** Which spans are Redis commands. */
  static final String REDIS = "(db_system_name IS NOT NULL OR db_system IS NOT NULL)";

  @Override
  public String memorySpans() {
    return "(SELECT trace_id, span_id, epoch_us(start_time) AS start_us, epoch_us(end_time) AS end_us, "
        + "lower(memory_operation) AS operation, " + LineageViews.MEMORY_ACCESS + " AS access, "
        + STORE + " AS store, memory_key AS key, memory_ttl AS ttl, " + RESULTS
        + " AS results, memory_value_fingerprint AS fingerprint, memtrace_compressed_count AS compressed, status_code, "
        + TenantSql.of(scope.tenant(), this, a -> "TRY_CAST(attributes['" + a.replace("'", "''") + "'] AS VARCHAR)",
            "memory_key") + " AS tenant FROM " + memoryFrom + " WHERE memory_operation IS NOT NULL" + since + ")";
  }

  @Override
  public String redisSpans() {
    return "(SELECT trace_id, parent_span_id, epoch_us(end_time) AS end_us, upper(db_operation_name) AS command, "
        + "memory_key AS key, memory_namespace AS namespace, memory_ttl AS ttl, memory_value_size AS value_size FROM "
        + spansFrom + " WHERE " + REDIS + since + ")";
  }

  /**
   * The calls as the store keeps them ({@link CallTotals}), where its table is current and answers this report: not
   * with {@code --since} (a call's commands before the start are not told apart from those after), nor under a tenant
   * rule that reads span attributes (the table keeps the key, which a key pattern reads).
   */
  @Override
  public String keptCalls() {
    if (!since.isEmpty() || TenantSql.readsAttributes(scope.tenant())) {
      return null;
    }
    return CallTotals.relation(scope.source(), TenantSql.of(scope.tenant(), this, a -> nullText(), "c.key"));
  }

  @Override
  public String lineage() {
    return "(SELECT key, namespace, found, writer, write_ttl, value_age_ms, read_trace_id, "
        + "epoch_us(read_time) AS read_time_us FROM " + PastTtlReads.of(scope.source(), scope.layer().viewName(), since)
        + " AS v)";
  }

  @Override
  public String removals() {
    return "(SELECT namespace, key, epoch_us(time) AS t FROM key_notification WHERE kind IN ('expiry', 'eviction')"
        + since.replace("start_time", "time") + ")";
  }

  @Override
  public String recordKey(String redisKey, String key) {
    return "suffix(" + redisKey + ", " + key + ") AND (" + redisKey + " = " + key + " OR NOT regexp_matches(substr("
        + redisKey + ", length(" + redisKey + ") - length(" + key + "), 1), '[A-Za-z0-9]'))";
  }

  @Override
  public String shift(boolean lead, String expr, String over) {
    return (lead ? "lead(" : "lag(") + expr + ") OVER (" + over + ")";
  }

  @Override
  public String extract(String text, String regex) {
    int group = Pattern.compile(regex).matcher("").groupCount() > 0 ? 1 : 0;
    return "nullif(regexp_extract(" + text + ", " + literal(regex) + ", " + group + "), '')";
  }

  @Override
  public String hash(String columns) {
    return "hash(" + columns + ")";
  }

  @Override
  public String nullText() {
    return "CAST(NULL AS VARCHAR)";
  }

  @Override
  public String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  @Override
  public String nowMicros() {
    return "epoch_us(now())";
  }

  @Override
  public String settings() {
    return "";
  }

  @Override
  public String materialized() {
    return "";
  }

  /**
   * Read again at each part: DuckDB kept all 1.25M calls of a 10M-span store with their strings for the parts, where
   * each part reading the table itself reads its narrow columns, and the listed findings' strings for their rows only
   * (the statement 0.36-0.44 s of CPU against 0.62-0.83, the same rows).
   */
  @Override
  public String keptMaterialized() {
    return "NOT MATERIALIZED ";
  }
}
