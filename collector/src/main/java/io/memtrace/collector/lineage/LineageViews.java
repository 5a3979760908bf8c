package io.memtrace.collector.lineage;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The views {@code key_events} and {@code lineage}, and the table {@code redis_command_access} they
 * classify Redis commands by. Plain SQL, so {@code query}, {@code traces}, the web view and {@code report}
 * all read the same rows. They read the view {@code key_event_rows}: the table {@link KeyEventStore} keeps
 * (the events of {@code span_store}) with those of the {@code span_ingest} tail, or, for a store an older
 * collector wrote and opened read-only, the events derived from {@code spans}; the rows are the same.
 *
 * <p>{@code key_events}: one row per span that touched a key, from both layers. A memory-manager span
 * ({@code layer = 'memory'}) names the key as the application does ({@code test-plan-user-service} in
 * namespace {@code aqe/test-plans}); a Redis span ({@code layer = 'redis'}) the key Redis holds, with
 * the Redis ({@code host:port}) and database it went to. Memory-manager searches are listed too, key or
 * not: their key is the pattern they looked for, so their access is {@code other}, and their hits are
 * the Redis reads under them.
 *
 * <p>{@code lineage}: for each read, the last write or delete of that key, in the same place, that
 * ended before the read began, from any service or agent ({@code ASOF JOIN}). The place of a Redis read
 * is its Redis, database and key. A memory-manager span carries no address, and its Redis commands
 * often do not reach the store (retention compresses them), so the place of a memory-manager read is
 * its memory store, named by its namespace, and its key: two applications that use the same namespace
 * and key on two Redis servers would be joined; the Redis layer keeps them apart.
 *
 * <p>{@code writer} says how sure the answer is: {@code seen} (the {@code write_*} columns name that
 * write), {@code not_in_store} (no write of the key before the read is stored), or {@code compressed}:
 * the agent's retention counted, instead of exporting, a write or delete in the read's namespace (or
 * under {@code _OTHER}, or a batch) on a span whose time reaches past the last write seen, so the last
 * write may be one that was not kept. The memory-manager layer is never compressed.
 */
public final class LineageViews {

  /** The memory-manager operations that read, write or delete a record; any other is {@code other}. */
  public static final String MEMORY_ACCESS = "CASE lower(memory_operation) WHEN 'retrieve' THEN 'read' WHEN 'store' THEN "
      + "'write' WHEN 'create' THEN 'write' WHEN 'update' THEN 'write' WHEN 'delete' THEN 'delete' ELSE 'other' END";

  /** When the TTL a span set runs out: its end plus {@code memory.ttl} seconds (a positive TTL only). */
  private static final String EXPIRES_AT = "CASE WHEN ttl > 0 THEN end_time + to_seconds(ttl) END";

  /**
   * {@code place_a} and {@code place_b}: where a key event of {@code layer} ({@code memory} or {@code redis})
   * keeps its value, as the two hashes the lineage join partitions on (see {@link #events}). A Redis span that names
   * no database (Node's instrumentations give none) is placed in database 0, Redis's default and the one memtrace's
   * agent reports for a connection that never sent {@code SELECT}, so that a Node service's reads find a Java
   * service's writes.
   */
  private static String placeColumns(String layer) {
    String place = layer.equals("memory") ? "coalesce(namespace, '')" : "coalesce(redis, ''), coalesce(db, 0)";
    return "hash(key, " + place + ") AS place_a, hash(reverse(key), " + place + ") AS place_b";
  }

  /**
   * Whether a traced TTL command (the EXPIRE family, PERSIST) ever changed the TTL of the read's place: then the TTL
   * the write set is not the one the key had at the read, and {@code miss} says {@code expired} only from a timeline,
   * which follows the commands. A list computed once, not a join (see {@link #kept(String, String, Scope, boolean)}).
   */
  static final String TTL_CHANGED = ttlChanged("key_event_rows");

  /**
   * {@link #TTL_CHANGED} over the key events of {@code events}: {@code key_event_store} alone for reads whose keys the
   * {@code span_ingest} tail names none of ({@link StoredLineage}), as the tail's TTL changes are of other places;
   * planning the tail's events into the statement cost about 30 ms of a trace's lineage at 1M spans.
   */
  static String ttlChanged(String events) {
    return "coalesce(list_contains((SELECT list(DISTINCT place_a) FROM " + events + " WHERE layer = 'redis' AND "
        + KeyRecordViews.SPAN_KIND + " = 'ttl'), place_a), false)";
  }

  /**
   * The start of a {@code CASE} that holds for a Redis key delete whose span says it removed nothing
   * ({@code memory.result_count} 0, its reply): a DEL, UNLINK or DELEX of a key already gone, a RENAMENX or MOVE that
   * did not move it, which changed nothing. Its access is {@code other}, as a command that
   * touched the key without changing it: no read's writer and no write's predecessor. The same rule for ClickHouse
   * ({@code LineageEvents}).
   */
  public static final String NOTHING_REMOVED = "CASE WHEN memory_result_count = 0 AND upper(db_operation_name) IN ("
      + String.join(", ", new java.util.TreeSet<>(LineageViews.removers()).stream().map(c -> "'" + c + "'").toList())
      + ")";

  /** The commands whose reply, {@code memory.result_count}, counts the keys they removed or moved. */
  public static java.util.Set<String> removers() {
    return java.util.Set.of("DEL", "UNLINK", "DELEX", "RENAMENX", "MOVE");
  }

  /** A write of the read's key in the read's place that ended before the read began. */
  private static final String SAME_PLACE = "r.place_a = w.place_a AND r.place_b = w.place_b AND r.time >= w.end_time";

  private LineageViews() {
  }

  /**
   * The store opened for writing: the table, the key-event tables ({@link KeyEventStore}, built again when they
   * follow other rules) and the views over them.
   */
  static void createForWriting(Connection connection) throws SQLException {
    createAccess(connection, "");
    KeyEventStore.prepare(connection);
    createViews(connection, "", true, "spans");
  }

  /**
   * Gives a connection to a store opened read-only this collector's views, for this connection only (they
   * shadow the store's own): an older collector wrote none, or views of its own rules, and a read-only open
   * changes nothing in the file. They read the key-event tables when the store has them as this collector
   * builds them, else they derive the events from {@code spans}, computing the typed columns such a store
   * lacks from the attributes (slow, but the same rows).
   */
  static void ensure(Connection connection) throws SQLException {
    String spans = io.memtrace.collector.store.PromotedAttributes.spansWithColumns(connection);
    createAccess(connection, "TEMPORARY ");
    createViews(connection, "TEMPORARY ", spans.equals("spans") && KeyEventStore.current(connection), spans);
  }

  private static void createAccess(Connection connection, String temp) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE OR REPLACE " + temp + "TABLE redis_command_access (command VARCHAR PRIMARY KEY, "
          + "access VARCHAR NOT NULL)");
      s.execute("INSERT INTO redis_command_access VALUES " + accessRows());
    }
  }

  /**
   * {@code key_event_rows} and {@code compressed_event_rows}, what the lineage queries read: the tables and the
   * events of the {@code span_ingest} tail ({@code tables}), or the events of {@code spans}; the traced commands on a
   * whole database ({@link WholeDatabaseChanges#VIEW}); and over them the views {@code key_events} and
   * {@code lineage}.
   */
  /** How many of {@link WholeDatabaseChanges#INGEST_COLUMNS} and {@code attributes} {@code span_ingest} has. */
  private static long ingestColumns(Statement s) throws SQLException {
    try (java.sql.ResultSet rows = s.executeQuery("SELECT count(*) FROM duckdb_columns() WHERE table_name = "
        + "'span_ingest' AND column_name IN ('" + String.join("', '", WholeDatabaseChanges.INGEST_COLUMNS)
        + "', 'attributes')")) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  static void createViews(Connection connection, String temp, boolean tables, String spans)
      throws SQLException {
    String events = tables ? "SELECT " + KeyEventStore.EVENT_COLUMNS + " FROM " + KeyEventStore.EVENTS
        + " UNION ALL SELECT " + KeyEventStore.EVENT_COLUMNS + " FROM (" + keyEvents(Schema.TAIL) + ")"
        : "SELECT " + KeyEventStore.EVENT_COLUMNS + " FROM (" + keyEvents(spans) + ")";
    String compressed = tables ? "SELECT " + KeyEventStore.COMPRESSED_COLUMNS + " FROM " + KeyEventStore.COMPRESSED
        + " UNION ALL " + CompressedWrites.counts(Schema.TAIL) : CompressedWrites.counts(spans);
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE OR REPLACE " + temp + "VIEW key_event_rows AS " + events);
      s.execute("CREATE OR REPLACE " + temp + "VIEW compressed_event_rows AS " + compressed);
      // over the tables themselves only where span_ingest has today's columns: a store opened read-only keeps the
      // columns (and the view spans) of the version that wrote it
      boolean narrow = tables && spans.equals("spans")
          && ingestColumns(s) == WholeDatabaseChanges.INGEST_COLUMNS.size() + 1;
      s.execute("CREATE OR REPLACE " + temp + "VIEW " + WholeDatabaseChanges.VIEW + " AS "
          + WholeDatabaseChanges.commands(spans, narrow));
      s.execute("CREATE OR REPLACE " + temp + "VIEW " + WholeDatabaseChanges.UNTRACED_VIEW + " AS "
          + WholeDatabaseChanges.untracedWindows());
      s.execute("CREATE OR REPLACE " + temp + "VIEW key_events AS SELECT time, end_time, trace_id, span_id, "
          + "parent_span_id, service_name, name, layer, redis, db, key, namespace, access, operation, found, value_size, "
          + "ttl, status_code, results, " + EXPIRES_AT + " AS expires_at FROM key_event_rows");
      s.execute("CREATE OR REPLACE " + temp + "VIEW lineage AS " + (tables ? kept(Scope.ALL) : lineage(Scope.ALL)));
      if (tables) {
        s.execute("CREATE OR REPLACE " + temp + "VIEW key_event_writers AS " + keptWriters("true"));
      }
    }
  }

  /**
   * Whether the lineage views of this source read the key events kept in a table (each with its answer), not events
   * derived from spans.
   */
  public static boolean kept(SqlSource source) {
    // a temporary view (a store opened read-only) shadows the store's own
    ResultTable view = source.queryOwn("SELECT sql FROM duckdb_views() "
        + "WHERE view_name = 'key_event_rows' ORDER BY temporary DESC LIMIT 1");
    return view.size() == 1 && view.text(0, "sql").contains(KeyEventStore.EVENTS);
  }

  /**
   * Whether every key event of this source is a row of {@code key_event_store} with its answer: the events are kept
   * and the {@code span_ingest} tail is empty (a stopped store, or a server between moves). Then a question of many
   * events can read the table, where the views answer the tail and look for stored answers it changes. A tail that
   * arrives after this is asked is left out, as if the question had been asked a moment earlier.
   */
  public static boolean storedOnly(SqlSource source) {
    return kept(source) && source.queryOwn("SELECT 1 FROM " + Schema.TAIL + " LIMIT 1").size() == 0;
  }

  /**
   * The key events kept with the write before each, as {@code key_event_writers} has them: {@code key_event_store}
   * itself when {@link #storedOnly} (the filter of the view, reads, writes and deletes that did not fail, is the
   * caller's to apply), else the view.
   */
  public static String writers(SqlSource source) {
    return storedOnly(source) ? KeyEventStore.EVENTS : "key_event_writers";
  }

  /**
   * The overlay's command access as the rows of {@code redis_command_access}, the TTL changes with the access
   * {@code ttl} ({@link CommandAccess#forKeyEvents}).
   */
  static String accessRows() {
    return values(CommandAccess.forKeyEvents());
  }

  private static String values(Map<String, String> access) {
    StringJoiner rows = new StringJoiner(", ");
    access.forEach((command, kind) -> rows.add("('" + command.replace("'", "''") + "', '" + kind + "')"));
    return rows.toString();
  }

  /**
   * The key events of {@code spans} (a relation with the span columns and the typed ones: {@code spans},
   * {@code span_store}, {@code span_ingest}), each with its place (see {@link #placeColumns}): the columns of
   * {@link KeyEventStore#EVENT_COLUMNS}.
   */
  static String keyEvents(String spans) {
    return keyEvents(spans, null);
  }

  /**
   * {@link #keyEvents(String)}, and when {@code span} is not null (a column of {@code spans} that names each row:
   * {@code seq}), the column {@code ev} after the others, naming each event: {@code 2 * span}, plus one for the
   * Redis layer's.
   */
  static String keyEvents(String spans, String span) {
    String memoryEv = span == null ? "" : ", 2 * " + span + " AS ev";
    String redisEv = span == null ? "" : ", 2 * " + span + " + 1 AS ev";
    String results = "coalesce(memory_result_count, CASE WHEN lower(memory_operation) IN ('retrieve', 'search') "
        + "THEN gen_ai_memory_record_count END)";
    String memory = "SELECT start_time AS time, end_time, trace_id, span_id, parent_span_id, service_name, name, "
        + "'memory' AS layer, NULL::VARCHAR AS redis, NULL::INTEGER AS db, memory_key AS key, "
        + "memory_namespace AS namespace, " + MEMORY_ACCESS + " AS access, lower(memory_operation) AS operation, "
        + "coalesce(memory_found, " + results + " > 0) AS found, memory_value_size AS value_size, memory_ttl AS ttl, "
        + "status_code, " + results + " AS results" + memoryEv + " "
        + "FROM " + MemoryConventions.memorySpansSql(spans, true) + " AS m "
        + "WHERE memory_key IS NOT NULL OR lower(memory_operation) = 'search'";
    // a command's span and each command of a batch's span (batchCommands), as the same columns, take their access
    // from one join
    String commands = "SELECT start_time, end_time, trace_id, span_id, parent_span_id, service_name, name, "
        + "server_address, server_port, db_namespace, memory_key AS key, memory_namespace AS namespace, "
        + "db_operation_name, memory_result_count, memory_found AS found, memory_value_size AS value_size, "
        + "memory_ttl AS ttl, status_code" + redisEv + " FROM " + spans + " "
        + "WHERE (db_system_name IS NOT NULL OR db_system IS NOT NULL) AND memory_key IS NOT NULL "
        + "UNION ALL " + batchCommands(spans, span);
    String redis = "SELECT start_time AS time, end_time, trace_id, span_id, parent_span_id, service_name, name, "
        + "'redis' AS layer, CASE WHEN server_address IS NOT NULL THEN server_address || ':' "
        + "|| coalesce(server_port::VARCHAR, '') END AS redis, TRY_CAST(db_namespace AS INTEGER) AS db, "
        + "key, namespace, " + NOTHING_REMOVED + " THEN 'other' ELSE coalesce(a.access, 'other') END AS access, "
        + "db_operation_name AS operation, found, value_size, ttl, status_code, NULL::BIGINT AS results"
        + (span == null ? "" : ", ev") + " FROM (" + commands + ") AS s "
        + "LEFT JOIN redis_command_access AS a ON a.command = upper(s.db_operation_name)";
    return "SELECT *, " + placeColumns("memory") + " FROM (" + memory + ") UNION ALL SELECT *, " + placeColumns("redis")
        + " FROM (" + redis + ")";
  }

  /**
   * The view of the traced commands on a whole database ({@code FLUSHDB}, {@code FLUSHALL}, {@code SWAPDB}): their
   * {@code start_time, end_time, trace_id, span_id, parent_span_id, service_name, name, command, redis, db}.
   */
  public static final String WHOLE_DATABASE_VIEW = WholeDatabaseChanges.VIEW;

  /**
   * The commands on a whole database the keyspace watcher counted ({@code start_time}, {@code end_time}: the window
   * each ran in; {@code redis}; {@code command}, upper case), traced or not: {@link WholeDatabaseChanges#untraced}.
   */
  public static String untracedWholeDatabase() {
    return WholeDatabaseChanges.untraced();
  }

  /** The event a pipeline's or transaction's span carries for each command of it that changed a key. */
  public static final String BATCH_COMMAND = "memtrace.batch.command";

  /**
   * A pipeline's or transaction's span ({@code PIPELINE SET}, {@code MULTI}), told by its typed columns: the spans whose
   * {@link #BATCH_COMMAND} events name keys. Some name a key of their own too (a Jedis transaction's {@code MULTI}
   * span its first command's): that row is {@code other}, its commands' events are the changes.
   */
  static final String BATCH_SPAN = "(db_system_name IS NOT NULL OR db_system IS NOT NULL) "
      + "AND (starts_with(db_operation_name, 'PIPELINE') OR starts_with(db_operation_name, 'MULTI'))";

  /**
   * The commands of pipelines and transactions, as the columns {@link #keyEvents(String, String)} takes of a command's
   * span: a batch span names no key ({@code PIPELINE SET}), so each of its {@link #BATCH_COMMAND} events is a command
   * of its own, with the batch span's ids, times, place and status and the command's name, key, namespace, size, TTL
   * and reply count. {@code ev}, when asked, is {@code -(32 * span + i)} for the {@code i}-th event (a batch lists at
   * most 16 commands), apart from the spans' own.
   */
  private static String batchCommands(String spans, String span) {
    // a batch span is told by its typed operation name before any event is parsed, and its events are unnested in the
    // projection, not by a lateral join: the common store has no batch, and its queries must not pay for them
    String commands = "list_filter(CAST(events AS JSON[]), lambda e: e->>'name' = '" + BATCH_COMMAND + "')";
    String unnested = "SELECT start_time, end_time, trace_id, span_id, parent_span_id, service_name, name, "
        + "server_address, server_port, db_namespace, status_code" + (span == null ? "" : ", " + span) + ", "
        + "unnest(" + commands + ") AS e, unnest(range(1, len(" + commands + ") + 1)) AS command_index "
        + "FROM " + spans + " WHERE " + BATCH_SPAN;
    String attribute = "e->'attributes'->>";
    return "SELECT start_time, end_time, trace_id, span_id, parent_span_id, service_name, name, server_address, "
        + "server_port, db_namespace, " + attribute + "'memory.key' AS key, " + attribute + "'memory.namespace' AS "
        + "namespace, " + attribute + "'db.operation.name' AS db_operation_name, TRY_CAST(" + attribute
        + "'memory.result_count' AS BIGINT) AS memory_result_count, NULL::BOOLEAN AS found, TRY_CAST(" + attribute
        + "'memory.value_size' AS BIGINT) AS value_size, TRY_CAST(" + attribute + "'memory.ttl' AS BIGINT) AS ttl, "
        + "status_code" + (span == null ? "" : ", -(32 * " + span + " + command_index) AS ev") + " FROM (" + unnested
        + ") WHERE (e->'attributes'->>'memory.key') IS NOT NULL";
  }

  /**
   * Two branches, one per layer, each joining only its own reads and writes, so that a query of one layer
   * ({@code WHERE read_layer = 'memory'}) never reads the other's events: DuckDB drops the branch whose
   * constant layer the filter contradicts, and with it the Redis branch's compressed writes.
   *
   * <p>The view's rows for the reads {@code scope} selects, as the view gives them, provided the scope's writes
   * and carriers hold every candidate writer of those reads (see {@link Scope}). DuckDB pushes no filter
   * through an {@code ASOF JOIN} to its right side, so a query of a few reads of the view still joins every
   * write in the store; a scope restricts both sides before the join.
   */
  static String lineage(Scope scope) {
    String memory = "SELECT r.*, w.trace_id AS w_trace_id, w.span_id AS w_span_id, w.service_name AS w_service, "
        + "w.name AS w_name, w.access AS w_access, w.end_time AS w_end, w.ttl AS w_ttl, false AS compressed "
        + "FROM " + events("memory", "read", scope.reads()) + " AS r ASOF LEFT JOIN "
        + events("memory", "write", scope.writes()) + " AS w ON " + SAME_PLACE;
    // the compressed writes joined first, to the reads alone, and only to the reads of a namespace that has any:
    // each ASOF JOIN sorts both sides with every column they carry, and at 10M spans within the default memory
    // budget the sorts spill; the other order sorted the reads again with their writers' columns (13 s against
    // 9.5 s for the Redis layer's 3.9M reads), and the realistic store's compressed writes are in 2 of 20 namespaces
    String reads = events("redis", "read", scope.reads());
    String compressedNamespace = "hash(coalesce(namespace, '')) IN (SELECT namespace_hash FROM compressed_writes)";
    String redis = "WITH " + CompressedWrites.ctes(scope) + " "
        + "SELECT r.*, w.trace_id AS w_trace_id, w.span_id AS w_span_id, w.service_name AS w_service, "
        + "w.name AS w_name, w.access AS w_access, w.end_time AS w_end, w.ttl AS w_ttl, "
        + "coalesce(r.covered_until > coalesce(w.end_time, '-infinity'::TIMESTAMP), false) AS compressed "
        + "FROM (SELECT r.*, m.covered_until FROM (SELECT * FROM " + reads + " WHERE " + compressedNamespace + ") AS r "
        + "ASOF LEFT JOIN compressed_writes AS m ON hash(coalesce(r.namespace, '')) = m.namespace_hash "
        + "AND r.time >= m.start_time UNION ALL SELECT *, NULL::TIMESTAMP AS covered_until FROM " + reads
        + " WHERE NOT " + compressedNamespace + ") AS r ASOF LEFT JOIN " + events("redis", "write", scope.writes())
        + " AS w ON " + SAME_PLACE;
    return columns("(" + memory + ")", "memory", true) + " UNION ALL "
        + select("(" + redis + ")", "'redis'", scope, TTL_CHANGED);
  }

  /**
   * The key events of the reads, writes and deletes {@code scope} selects, each with the write before it
   * ({@link Writers#COLUMNS}), over the key events kept ({@link KeyEventStore}): a stored event has its answer in its
   * row; the events of the {@code span_ingest} tail are answered as the Compactor will answer them, and a stored
   * event whose answer a late write of the tail changes is answered again with it. The CTEs {@code tail},
   * {@code tail_answers} and {@code late_tail_writes} and the relation {@code answered}, to put in a query.
   */
  /**
   * A stored event {@code r} asks ({@link Writers#ASKS_AT}) at or after a late write's {@code l.since}: a read from its
   * start, a write or delete from a microsecond before its end, so from an end after {@code since}.
   */
  private static final String ASKS_SINCE = "CASE WHEN r.access = 'read' THEN r.time >= l.since ELSE r.end_time > l.since END";

  private static String[] answered(String scope) {
    String inScope = scope.equals("true") ? "" : " AND (" + scope + ")";
    String tail = "(SELECT NULL::BIGINT AS ev, " + KeyEventStore.EVENT_COLUMNS + " FROM (" + keyEvents(Schema.TAIL) + "))";
    String columns = KeyEventStore.EVENT_COLUMNS + ", " + Writers.COLUMNS;
    String stored = "SELECT " + columns + " FROM (SELECT * FROM " + KeyEventStore.EVENTS
        + " WHERE (" + Writers.READ_OR_WRITE + ")" + inScope + ") AS r "
        // an anti join, not NOT EXISTS: DuckDB decorrelates that into a grouping of every stored event (2.6 s of 6.6);
        // when the event asks (Writers.ASKS_AT) compared only for the few events of a late write's place, not
        // computed for every stored event (its interval arithmetic cost a third of a scan of the events)
        + "ANTI JOIN late_tail_writes AS l ON l.place_a = r.place_a AND l.place_b = r.place_b AND " + ASKS_SINCE;
    String ctes = "tail AS MATERIALIZED " + tail + ", "
        + "tail_answers AS MATERIALIZED (" + Writers.answer("tail", scope,
            KeyEventStore.EVENT_COLUMNS.replace(", place_a, place_b", "")) + "), "
        + "late_tail_writes AS MATERIALIZED (" + Writers.lateWrites("(SELECT * FROM tail WHERE " + Writers.WRITE + ")")
        + ")";
    return new String[] {ctes, "(" + stored + " UNION ALL SELECT " + columns + " FROM tail_answers)"};
  }

  /**
   * The key events kept, each with the write before it: the view {@code key_event_writers}, for the report's
   * wasted writes; {@code scope} selects the events.
   */
  static String keptWriters(String scope) {
    String[] answered = answered(scope);
    return "WITH " + answered[0] + " SELECT * FROM " + answered[1];
  }

  /**
   * The view's rows for the reads {@code scope} selects, over the key events kept: a read's writer is its answer
   * ({@link #answered}). Only the compressed answer of the Redis layer is still joined here: retention's counts are
   * few, and only the reads of a namespace that has one are joined to them. The scope's writes play no part:
   * every read has the writer the whole store gives it.
   */
  static String kept(Scope scope) {
    String[] answered = answered(scope.reads());
    return kept(answered[0] + ", ", answered[1], scope, true);
  }

  /**
   * The {@code lineage} view's rows, as a relation to put in a query of many reads: when {@link #storedOnly}, over
   * {@code key_event_store} alone, where every read is a row with its answer; else, the events kept, the view's
   * relation (not the view, which names every writer), and without them the view. The view answers the tail, anti-joins the stored reads with the tail's late writes and unions the two, nothing to do without a tail:
   * at 10M spans the report's value ages took 0.80-0.97 s of CPU this way against 0.89-1.34 s through the view
   * (2026-11-27, a busy machine). Either way over the kept events the writer's trace, span id, service and name are
   * null ({@link Writers#unnamed}): the questions of many reads read the writer's access, end and TTL only, and the
   * view looks the names up for every read it gives, a join of every write; {@link TraceLineage#keptReads} names
   * them for the few reads a question shows.
   */
  public static String relation(SqlSource source) {
    if (!kept(source)) {
      return "lineage";
    }
    Scope all = all(source);
    if (!storedOnly(source)) {
      String[] answered = answered(all.reads());
      return "(" + kept(answered[0] + ", ", answered[1], all, false) + ") AS lineage";
    }
    String stored = "(SELECT " + KeyEventStore.EVENT_COLUMNS + ", " + Writers.COLUMNS + " FROM " + KeyEventStore.EVENTS
        + " WHERE " + Writers.READ + ")";
    return "(" + kept("", stored, all, false) + ") AS lineage";
  }

  /**
   * Every read, as {@link Scope#ALL}, without {@link NoticedChanges} in a store that holds no keyspace notification
   * ({@link TraceLineage#noticed}): none can change a kept answer, and planning its nested subqueries was most of the
   * CPU of each report statement over every read's lineage (0.3 to 0.4 s of 0.45 to 0.6 s, on an empty store too).
   */
  static Scope all(SqlSource source) {
    return TraceLineage.noticed(source) ? Scope.ALL : Scope.ALL.unnoticed();
  }

  /**
   * {@link #kept(Scope)} over {@code answered}, the events with their answers ({@link Writers#COLUMNS}), after the CTEs
   * {@code ctes} (each followed by a comma); the writers' traces, span ids, services and names looked up from their
   * events when {@code named} (among those of {@code key_event_store} and the CTE {@code tail}), else null
   * ({@link Writers#named}).
   */
  private static String kept(String ctes, String answered, Scope scope, boolean named) {
    String asked = "(SELECT " + KeyEventStore.EVENT_COLUMNS + ", " + Writers.ALIASES + " FROM " + answered
        + " WHERE access = 'read')";
    // the view (every read, filtered from outside) joins; a scope keeps its few reads first, then names them
    String scoped = "scoped_reads";
    String reads = "(" + (!named ? Writers.unnamed(asked) : scope == Scope.ALL ? Writers.joined(asked, "tail")
        : Writers.named(scoped, "tail")) + ")";
    if (named && scope != Scope.ALL) {
      ctes = ctes + scoped + " AS MATERIALIZED " + asked + ", ";
    }
    // a list computed once, not a join: as a join DuckDB built its hash table from the millions of reads (1.5 s of 3)
    // (no count at all makes the list NULL, and a NULL would drop every read from both branches)
    String compressedNamespace = "coalesce(list_contains((SELECT list(DISTINCT namespace_hash) FROM compressed_writes), "
        + "hash(coalesce(namespace, ''))), false)";
    String memory = "SELECT *, false AS compressed FROM " + reads + " WHERE layer = 'memory'";
    String redis = "SELECT r.*, coalesce(r.covered_until > coalesce(r.w_end, '-infinity'::TIMESTAMP), false) AS compressed "
        + "FROM (SELECT r.*, m.covered_until FROM (SELECT * FROM " + reads + " WHERE layer = 'redis' AND "
        + compressedNamespace + ") AS r ASOF LEFT JOIN compressed_writes AS m "
        + "ON hash(coalesce(r.namespace, '')) = m.namespace_hash AND r.time >= m.start_time "
        + "UNION ALL SELECT *, NULL::TIMESTAMP AS covered_until FROM " + reads + " WHERE layer = 'redis' AND NOT "
        + compressedNamespace + ") AS r";
    return "WITH " + ctes + CompressedWrites.ctes(scope) + " "
        + columns("(" + memory + ")", "memory", true) + " UNION ALL "
        + select("(" + redis + ")", "'redis'", scope, TTL_CHANGED);
  }

  /**
   * The reads of a layer, or its writes and deletes ({@code kind} write): a write Redis refused wrote nothing.
   * Each with its place (the memory store and key, or the Redis, database and key) as two 64-bit hashes, one
   * of the key read backwards: the join partitions and sorts on them two to three times as fast as on the
   * strings (measured at 10M spans), and two keys share both only with a chance of about 2^-128.
   */
  private static String events(String layer, String kind, String scope) {
    return "(SELECT * FROM key_event_rows WHERE layer = '" + layer + "' AND " + (kind.equals("read")
        ? "access = 'read' AND key IS NOT NULL" : Writers.WRITE)
        + (scope.equals("true") ? "" : " AND (" + scope + ")") + ")";
  }

  /**
   * {@link #columns(String, Scope, String)} of one layer's branch, its layer a constant: a query of the other layer
   * ({@code WHERE read_layer = 'memory'}) then drops this branch whole. With the column, DuckDB kept the Redis
   * branch of the view over the kept events and filtered its 3.9M reads of a 10M-span store one by one.
   */
  static String columns(String joined, String layer, boolean noticed) {
    return select(joined, "'" + layer + "'", noticed ? Scope.ALL : Scope.ALL.unnoticed(), TTL_CHANGED);
  }

  /**
   * The view's columns from one branch's join of reads to writes, for the reads {@code scope} selects; the writer's
   * only when it was seen. {@code ttlChanged}: {@link #TTL_CHANGED}, or {@link #ttlChanged} over fewer events.
   */
  static String columns(String joined, Scope scope, String ttlChanged) {
    return select(joined, "layer", scope, ttlChanged);
  }

  /**
   * The traced commands on a whole database that can be a writer of the reads {@code scope} selects: those its
   * carriers' bound admits ({@link Scope#carriers}, a bound on start times that admits every span that began at or
   * before a read), since such a command ended before the read began. The bound reaches the scan of {@code span_store}
   * ({@link WholeDatabaseChanges#commands}), whose row groups after a trace are skipped.
   */
  static String wholeDatabaseCommands(Scope scope) {
    return scope.carriers().equals("true") ? WholeDatabaseChanges.VIEW
        : "(SELECT * FROM " + WholeDatabaseChanges.VIEW + " WHERE " + scope.carriers() + ")";
  }

  /**
   * The columns, {@code read_layer} being {@code layerExpression}. A Redis read's writer is the kept answer's unless the
   * keyspace notifications show a later change ({@link NoticedChanges}): then {@code outside} (its kind in
   * {@code write_access}, its time in {@code write_time}), the stored span that accounts for it, or {@code unknown}.
   */
  private static String select(String joined, String layerExpression, Scope scope, String ttlChanged) {
    boolean noticed = scope.noticed();
    // a write joined has an end (the join compares it): asking for it, not for the span id, keeps the writes'
    // span ids out of the join when a query does not read them
    boolean memory = layerExpression.equals("'memory'");
    String noticedWriter = memory ? "NULL" : "noticed_writer";
    String seen = "w_end IS NOT NULL AND NOT compressed AND " + noticedWriter + " IS NULL";
    String dated = "w_end IS NOT NULL AND NOT compressed AND coalesce(" + noticedWriter + ", 'outside') = 'outside'";
    String from = memory ? joined : WholeDatabaseChanges.taken(noticed ? NoticedChanges.taken(joined)
        : "(SELECT *, NULL::VARCHAR AS noticed_writer, NULL::VARCHAR AS noticed_miss FROM " + joined + " AS j)", noticed,
        wholeDatabaseCommands(scope));
    return "SELECT trace_id AS read_trace_id, span_id AS read_span_id, service_name AS read_service, name AS read_name, "
        + layerExpression + " AS read_layer, operation AS read_operation, time AS read_time, "
        + "status_code AS read_status_code, "
        + "redis, db, key, namespace, found, "
        + "CASE WHEN " + seen + " THEN w_trace_id END AS write_trace_id, "
        + "CASE WHEN " + seen + " THEN w_span_id END AS write_span_id, "
        + "CASE WHEN " + seen + " THEN w_service END AS write_service, "
        + "CASE WHEN " + seen + " THEN w_name END AS write_name, "
        + "CASE WHEN " + dated + " THEN w_access END AS write_access, "
        + "CASE WHEN " + dated + " THEN w_end END AS write_time, "
        + "CASE WHEN " + dated + " THEN (epoch_us(time) - epoch_us(w_end)) / 1000.0 END AS value_age_ms, "
        + "CASE WHEN compressed THEN 'compressed' WHEN " + noticedWriter + " IS NOT NULL THEN " + noticedWriter
        + " WHEN w_end IS NULL THEN 'not_in_store' WHEN w_access = 'script' THEN 'script' "
        + (memory ? "" : "WHEN w_access = 'whole_db' THEN 'whole_db' ") + "ELSE 'seen' END AS writer, "
        + "CASE WHEN " + seen + " THEN w_ttl END AS write_ttl, "
        + "CASE WHEN found IS DISTINCT FROM false OR compressed THEN NULL "
        + (memory ? "" : "WHEN noticed_miss IS NOT NULL THEN noticed_miss ")
        + "WHEN NOT (" + seen + ") THEN NULL WHEN w_access = 'delete' THEN 'deleted' "
        + (memory ? "" : "WHEN w_access = 'whole_db' THEN 'unknown' ")
        + "WHEN w_ttl > 0 AND epoch_us(w_end) + w_ttl * 1000000 <= epoch_us(time) "
        // a memory read's place is never a Redis key's: the list of every Redis event's TTL changes, which a query
        // that does not ask for miss still built (0.25-0.45 s of CPU of the report's value ages at 10M spans), is not
        // looked at for it
        + (memory ? "" : "AND NOT " + ttlChanged + " ") + "THEN 'expired' ELSE 'unknown' END AS miss "
        + "FROM " + from + " AS joined";
  }

}
