package io.memtrace.collector.health;

import io.memtrace.collector.query.SqlSource;

/**
 * What a store gives the TTL truth and memory health sections ({@link TtlTruth}, {@link MemoryHealth}): its spans
 * and lineage as relations with the columns named here, and the few pieces of SQL its dialect spells its own way.
 * The sections' statements are written once over these, so both stores answer with the same rows, notes and totals.
 * Every relation already holds only the report's spans (its {@code since}).
 */
public interface HealthDialect {

  /** The store, layer, key totals and tenant rule the sections are asked over. */
  HealthScope scope();

  default SqlSource source() {
    return scope().source();
  }

  /** The report's layer: a Redis-layer report names the Redis keys, never the memory calls' own. */
  default io.memtrace.collector.reader.Layer layer() {
    return scope().layer();
  }

  /**
   * The memory-manager spans, parenthesized: {@code trace_id, span_id, start_us, end_us} (epoch microseconds),
   * {@code operation} (lower case), {@code access} ({@code read}, {@code write}, {@code delete} or {@code other}, as
   * lineage classifies them), {@code store} (the namespace or {@code gen_ai.memory.store.id}, {@code (none)} when
   * neither), {@code key}, {@code ttl}, {@code results} (a search's or retrieve's result count), {@code fingerprint}
   * ({@code memory.value.fingerprint}), {@code compressed} (Redis commands retention counted on the span),
   * {@code status_code} and {@code tenant} (by the report's tenant rule; NULL when unknown).
   */
  String memorySpans();

  /**
   * The Redis command spans that name a key, parenthesized: {@code trace_id, parent_span_id, end_us, command} (upper
   * case), {@code key}, {@code namespace}, {@code ttl} (what the command set, seconds) and {@code value_size}.
   */
  String redisSpans();

  /**
   * {@link #redisSpans}, where a statement asks only for the keys that begin with {@code keyPrefix} (not empty): a
   * dialect may leave out other spans before reading them; the statement still applies its own condition on the key.
   */
  default String redisSpans(String keyPrefix) {
    return redisSpans();
  }

  /**
   * CTEs ending in {@code keys}: the report layer's totals per key ({@code key, namespace, writes, deletes, has_ttl,
   * ttl_unknown_writes}), as the key lists read them; a statement continues it with {@code , name AS (…)} or a SELECT.
   */
  default String keyTotals() {
    return scope().keyTotals();
  }

  /**
   * The memory calls with their Redis commands' totals as the store kept them at insert, parenthesized, or null when
   * it keeps none it can answer this report with (then {@link MemoryCalls} joins each call to its commands): one row
   * per call, {@code trace_id, span_id, start_us, store, tenant, operation, access, key, ttl, results} (as
   * {@link #memorySpans}), {@code has_fingerprint}, {@code carried} (retention's counts), {@code status_code}, and of
   * its child Redis commands {@code n} (how many), {@code bytes}, {@code ttl_commands} (those that set a TTL),
   * {@code low} (the least positive TTL set), {@code got} (the greatest), {@code redis_key} (the least key) and
   * {@code fan} (the most distinct keys of one command, when {@link MemoryHealth#N_PLUS_ONE} or more, else 0).
   */
  default String keptCalls() {
    return null;
  }

  /**
   * The whole of {@link MemoryCalls}' statement from counts the store kept at insert, or null when it keeps none it can
   * answer this report with (then the calls are read one by one, {@link #keptCalls} or joined): its rows are the
   * {@code calls}, {@code keys} and {@code ttl} parts with the columns and order {@link MemoryCalls} gives them.
   *
   * @param list how many of each listed TTL finding's latest calls
   */
  default String keptCallParts(int list) {
    return null;
  }

  /**
   * The lineage of the report layer's reads, parenthesized: {@code key, namespace, found, writer, write_ttl,
   * value_age_ms, read_trace_id, read_time_us}. Only the stale reads are asked of it (writer seen, a TTL, a value
   * older than it): a dialect may leave out reads that cannot be one.
   */
  String lineage();

  /**
   * Redis's expiries and evictions its keyspace notifications reported, parenthesized: {@code namespace, key} (the
   * Redis key) and {@code t} (when received, epoch microseconds); none when the store recorded none.
   */
  String removals();

  /**
   * Whether the Redis key {@code redisKey} is a key of the memory key {@code key} as a record's timeline has it
   * ({@link io.memtrace.collector.timeline.KeyRecord#endsWithKey}): the key itself, or ending with it after a character
   * that is no ASCII letter or digit.
   */
  String recordKey(String redisKey, String key);

  /** {@code lead} or {@code lag} of {@code expr} by one row over {@code over} ({@code PARTITION BY … ORDER BY …}). */
  String shift(boolean lead, String expr, String over);

  /** The first group of {@code regex} in {@code text} (or the whole match when it has none), NULL when none. */
  String extract(String text, String regex);

  /** A 64-bit hash of the values of {@code columns}: a narrow key to join and group by, where strings cost memory. */
  String hash(String columns);

  /** A NULL of the string type. */
  String nullText();

  /** A string literal. */
  String literal(String text);

  /** Now, in epoch microseconds. */
  String nowMicros();

  /** What ends every statement (settings), or empty. */
  String settings();

  /**
   * {@code "MATERIALIZED "} where a CTE that several parts of a statement read is to be computed once, or empty: DuckDB
   * keeps a CTE read twice by itself, ClickHouse computes it again at each reading unless told ({@link #settings}
   * then enables it).
   */
  String materialized();

  /**
   * How the CTE of the calls the store kept ({@link #keptCalls}), a projection of one table, is read by the statement's
   * parts: {@link #materialized} unless the dialect reads it better again at each part.
   */
  default String keptMaterialized() {
    return materialized();
  }
}
