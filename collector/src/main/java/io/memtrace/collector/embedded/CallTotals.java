package io.memtrace.collector.embedded;

import io.memtrace.collector.health.MemoryHealth;
import io.memtrace.collector.health.TtlTruth;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.KeptTables;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Each memory call with its child Redis commands' totals, kept beside {@code span_store}: {@code memory_call_store},
 * one row per call (a 64-bit hash of its span id), with the call's own columns and, of the Redis commands under it,
 * how many, their bytes, those that set a TTL, the least and greatest TTL set, the least key and each command's
 * distinct keys (hashed). The {@code Compactor} adds the spans of each move in the transaction that moves them: a
 * call and its commands may come in different moves, in either order, so each move's rows are merged into the
 * table's by call. Redis commands whose parent is no memory call have rows too, never read (as ClickHouse's
 * {@code memtrace_memory_calls} keeps them): which parent is a call is known only when it comes.
 *
 * <p>Why: the TTL truth, memory health and the Redis commands per memory call ({@code health.MemoryCalls}) joined
 * every memory call to its commands at each report: 2.4 s of CPU of the report's 4.4 at 10M spans, where the report's
 * target is 2 s of wall from the command line. Over the kept rows the statement reads one row per call.
 *
 * <p>The rows follow this collector's rules ({@link #fingerprint}): a store whose table was built under other rules, or
 * that has none, has it built from {@code span_store} when opened for writing. A report reads the table only where it
 * is current ({@link #relation}); read-only over an older store, with {@code --since}, or under a tenant rule that
 * reads span attributes, it joins the calls to their commands as before.
 */
public final class CallTotals implements KeptTables {

  static final String TABLE = "memory_call_store";
  private static final String RULES = "memory_call_rules";

  private static final String DDL = "CREATE TABLE IF NOT EXISTS " + TABLE + " (call UBIGINT NOT NULL, "
      + "is_call BOOLEAN NOT NULL, trace_id VARCHAR, span_id VARCHAR, start_us BIGINT, store VARCHAR, operation VARCHAR, "
      + "key VARCHAR, ttl BIGINT, results BIGINT, carried BIGINT, status_code VARCHAR, fingerprinted BOOLEAN, "
      + "n BIGINT NOT NULL, bytes BIGINT NOT NULL, ttl_commands BIGINT NOT NULL, low BIGINT, got BIGINT, "
      + "redis_key VARCHAR, command_keys STRUCT(c VARCHAR, k UBIGINT)[])";

  static final String COLUMNS = "call, is_call, trace_id, span_id, start_us, store, operation, key, ttl, results, "
      + "carried, status_code, fingerprinted, n, bytes, ttl_commands, low, got, redis_key, command_keys";

  /** The call's own columns: from the one row of a call's that is the call (a call's span is stored once). */
  private static final String[] CALL_COLUMNS = {"trace_id", "span_id", "start_us", "store", "operation", "key", "ttl",
      "results", "carried", "status_code", "fingerprinted"};

  /** For {@link java.util.ServiceLoader}: the store's one instance. */
  public CallTotals() {
  }

  /**
   * The rows of {@code spans} (with the typed columns: a move's, {@code span_ingest} or {@code span_store}), one per
   * call: the memory calls' own (as {@code EmbeddedHealth.memorySpans} reads them, under either naming) joined to
   * the totals of the Redis commands under them (as {@code EmbeddedHealth.redisSpans}), each side without the other
   * where it has not come (yet).
   */
  static String of(String spans) {
    // the calls' columns and the commands' rule are EmbeddedHealth's, so the kept rows and the join answer alike
    String calls = "SELECT hash(span_id) AS call, trace_id, span_id, epoch_us(start_time) AS start_us, "
        + EmbeddedHealth.STORE + " AS store, lower(memory_operation) AS operation, memory_key AS key, "
        + "memory_ttl AS ttl, " + EmbeddedHealth.RESULTS + " AS results, coalesce(memtrace_compressed_count, 0) AS carried, "
        + "status_code, memory_value_fingerprint IS NOT NULL AS fingerprinted FROM "
        + MemoryConventions.memorySpansSql(spans, true) + " AS m WHERE memory_operation IS NOT NULL";
    String commands = "SELECT hash(parent_span_id) AS call, count(*) AS n, sum(coalesce(memory_value_size, 0))::BIGINT "
        + "AS bytes, count(*) FILTER (WHERE memory_ttl > 0 OR upper(db_operation_name) IN " + TtlTruth.TTL_COMMANDS
        + ") AS ttl_commands, min(memory_ttl) FILTER (WHERE memory_ttl > 0) AS low, max(memory_ttl) AS got, "
        + "min(memory_key) AS redis_key, list_distinct(list({'c': upper(db_operation_name), 'k': hash(memory_key)}) "
        + "FILTER (WHERE memory_key IS NOT NULL)) AS command_keys FROM " + spans + " WHERE parent_span_id IS NOT NULL "
        + "AND " + EmbeddedHealth.REDIS + " GROUP BY call";
    StringBuilder sql = new StringBuilder("SELECT coalesce(m.call, r.call) AS call, m.call IS NOT NULL AS is_call");
    for (String column : CALL_COLUMNS) {
      sql.append(", m.").append(column);
    }
    return sql.append(", coalesce(r.n, 0) AS n, coalesce(r.bytes, 0) AS bytes, coalesce(r.ttl_commands, 0) AS "
        + "ttl_commands, r.low, r.got, r.redis_key, coalesce(r.command_keys, []) AS command_keys FROM (").append(calls)
        .append(") AS m FULL JOIN (").append(commands).append(") AS r ON m.call = r.call").toString();
  }

  /** The rows of {@code rows} (in the table's columns, several per call) merged into one per call. */
  private static String merged(String rows) {
    StringBuilder sql = new StringBuilder("SELECT call, bool_or(is_call) AS is_call");
    for (String column : CALL_COLUMNS) {
      sql.append(", max(").append(column).append(") FILTER (WHERE is_call) AS ").append(column);
    }
    return sql.append(", sum(n)::BIGINT AS n, sum(bytes)::BIGINT AS bytes, sum(ttl_commands)::BIGINT AS ttl_commands, "
        + "min(low) AS low, max(got) AS got, min(redis_key) AS redis_key, list_distinct(flatten(list(command_keys))) AS "
        + "command_keys FROM (").append(rows).append(") GROUP BY call").toString();
  }

  /** Builds the table from {@code span_store} when it was built under other rules or not at all. */
  @Override
  public void prepareForWriting(Connection connection) throws SQLException {
    String built = KeptTables.builtUnder(connection, RULES, TABLE);
    if (fingerprint().equals(built)) {
      return;
    }
    KeptTables.rebuildFromStore(connection, RULES, fingerprint(), built, TABLE, DDL,
        "INSERT INTO " + TABLE + " SELECT " + COLUMNS + " FROM (" + of(KeptTables.STORED) + ")",
        "joining the memory calls of %d stored spans to their Redis commands for the report", "joined",
        "memory calls joined");
  }

  /** Nothing for a read-only connection: {@link #relation} reads the table only where it is current. */
  @Override
  public void prepareForReading(Connection connection) {
  }

  /**
   * Merges the calls of {@code rows} (the spans a move takes from {@code span_ingest}) into the table: the calls it
   * has are updated, the others inserted, in one {@code MERGE}. Within the caller's transaction.
   */
  @Override
  public void add(Statement s, String rows) throws SQLException {
    StringBuilder set = new StringBuilder("is_call = a.is_call OR b.is_call");
    for (String column : CALL_COLUMNS) {
      set.append(", ").append(column).append(" = CASE WHEN b.is_call THEN b.").append(column).append(" ELSE a.")
          .append(column).append(" END");
    }
    set.append(", n = a.n + b.n, bytes = a.bytes + b.bytes, ttl_commands = a.ttl_commands + b.ttl_commands, ")
        .append("low = coalesce(least(a.low, b.low), a.low, b.low), got = coalesce(greatest(a.got, b.got), a.got, b.got), ")
        .append("redis_key = coalesce(least(a.redis_key, b.redis_key), a.redis_key, b.redis_key), ")
        .append("command_keys = list_distinct(list_concat(a.command_keys, b.command_keys))");
    s.execute("MERGE INTO " + TABLE + " AS a USING (SELECT " + COLUMNS + " FROM (" + of(rows) + ")) AS b ON a.call = b.call"
        + " WHEN MATCHED THEN UPDATE SET " + set + " WHEN NOT MATCHED THEN INSERT BY NAME");
  }

  /**
   * The calls as {@code HealthDialect.keptCalls} gives them, from the table and the {@code span_ingest} tail, or null
   * when {@code source}'s store has no current table. {@code tenant}: the tenant's SQL over the call's {@code key}.
   */
  static String relation(SqlSource source, String tenant) {
    if (!current(source)) {
      return null;
    }
    // the tail's calls merged with their rows of the table; the table's other rows as they are (one per call already).
    // The tail is derived once (materialized), read by both parts
    String calls = "(WITH tail AS MATERIALIZED (SELECT " + COLUMNS + " FROM (" + of(Schema.TAIL) + ")) SELECT * FROM "
        + TABLE + " WHERE call NOT IN (SELECT call FROM tail) UNION ALL " + merged("SELECT * FROM " + TABLE
        + " WHERE call IN (SELECT call FROM tail) UNION ALL SELECT * FROM tail") + ")";
    if (source.query("SELECT count(*) AS n FROM " + Schema.TAIL).number(0, "n") == 0) {
      calls = TABLE; // no tail: the table alone
    }
    String n = String.valueOf(MemoryHealth.N_PLUS_ONE);
    // the most distinct keys of one command: from the call's own list, and only for the calls with enough commands for
    // an N+1 (few; CASE evaluates it for those rows alone)
    String most = "coalesce(list_max(list_transform(list_distinct(list_transform(c.command_keys, lambda x: "
        + "coalesce(x.c, ''))), lambda cmd: len(list_filter(c.command_keys, lambda x: coalesce(x.c, '') = cmd)))), 0)";
    return "(SELECT c.trace_id, c.span_id, c.start_us, c.store, " + tenant + " AS tenant, c.operation, "
        + LineageViews.MEMORY_ACCESS.replace("memory_operation", "c.operation") + " AS access, c.key, c.ttl, c.results, "
        + "c.fingerprinted AS has_fingerprint, c.carried, c.status_code, c.n, c.bytes, c.ttl_commands, c.low, c.got, "
        + "c.redis_key, CASE WHEN c.n >= " + n + " AND " + most + " >= " + n + " THEN " + most + " ELSE 0 END AS fan "
        + "FROM " + calls + " AS c WHERE c.is_call)";
  }

  /** Whether the store has the table as this collector builds it: one query of the rules. */
  private static boolean current(SqlSource source) {
    return source.query("SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '" + RULES
        + "' AND EXISTS (SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '" + TABLE + "')")
        .number(0, "n") == 1 && fingerprint().equals(source.query("SELECT max(fingerprint) AS f FROM " + RULES).text(0, "f"));
  }

  /** What the rows depend on: how they are derived (the SQL, which holds the memory conventions). */
  static String fingerprint() {
    return KeptTables.fingerprint(DDL + of("s"));
  }
}
