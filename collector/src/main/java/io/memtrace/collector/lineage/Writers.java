package io.memtrace.collector.lineage;

/**
 * Each read's writer, and each write's predecessor, found when the event is stored rather than at every query.
 * The {@code lineage} view joined every read of the store to every write with an {@code ASOF JOIN} at each query,
 * and the report's wasted writes sorted every event by key: at 10M spans, 3.9M Redis reads against 3.5M writes,
 * sorts that spilled to disk within the collector's memory budget (35 s for the report's lineage sections of the
 * Redis layer on a busy machine). Now the {@code Compactor} answers the events of the spans it moves and keeps the
 * answer in the event's row of {@code key_event_store} ({@link #COLUMNS}): for a read, the last write or delete of
 * its place that ended before it began; for a write or delete, the last one of its place that ended before it
 * ended. The views read it; only the short {@code span_ingest} tail is answered on the fly, the same way.
 *
 * <p>To answer a batch of new events without joining the whole store, {@code key_place_state} keeps, per place (a
 * memory store or Redis and database, and key) and move that touched it, the last write or delete the move stored
 * there (the one that ended last) and the start of the last read it stored there ({@link MovedEvents}). A new
 * event's answer is then the last of the batch's writes of its place before it, or the place's last stored write
 * (the last of its rows' writes), when that one is before it. Two cases need the place's stored history, and each
 * is rare because spans arrive roughly in time order:
 * <ul>
 *   <li>a new event before the place's last stored write (its span came late): it is joined to every stored
 *       write of its place;</li>
 *   <li>a new write that ended before a stored event of its place (the write's span came late): the stored events
 *       of that place from the write's end on are answered again, with every stored write of the place, and their
 *       rows are mended.</li>
 * </ul>
 * So the stored answer is always the one a join of the whole store would give (a test checks it against that
 * join on shuffled arrivals), up to a tie between two writes that ended at the same instant.
 */
final class Writers {

  static final String STATE = "key_place_state";

  /**
   * The write before an event, kept in its row of {@code key_event_store}: a read's writer, a write's or delete's
   * predecessor; null for other events, or when there is none. What it did, when it ended and the TTL it set, which
   * the questions of many reads filter and group on; not its trace, span id, service and name, which only the few
   * reads shown name: they are looked up from the writer's own event ({@link #named}). Those four strings were half
   * of what a move paid to keep its key events beyond the events themselves: random ids that compress poorly
   * (2026-11-27, docs/history/performance-2026-11-26-to-29.md).
   */
  static final String COLUMNS = "write_access, write_end, write_ttl, write_ref";

  static final String COLUMNS_DDL = "write_access VARCHAR, write_end TIMESTAMP, write_ttl BIGINT, write_ref UBIGINT";

  /** {@link #COLUMNS} as the {@code lineage} view's joins name the writer's columns ({@code w_*}). */
  static final String ALIASES = "write_access AS w_access, write_end AS w_end, write_ttl AS w_ttl, write_ref AS w_ref";

  /**
   * {@code write_ref}: which write of its place that ended at {@code write_end} the writer is, as a hash of its trace
   * and span ids: a number, which a move writes at a fraction of what the ids' text costs, and with the place and end
   * it finds the writer's own event with no tie ({@link #named}).
   */
  static final String REF = "hash(trace_id, span_id)";

  static final String STATE_DDL = "CREATE TABLE IF NOT EXISTS " + STATE + " (place_a UBIGINT, place_b UBIGINT, "
      + COLUMNS_DDL + ", last_read TIMESTAMP)";

  /** A read of a key: what has a writer. */
  static final String READ = "access = 'read' AND key IS NOT NULL";

  /**
   * A write or delete that happened (a write Redis refused wrote nothing), or a script that may have changed the key
   * ({@code script}): a read after it names it, and says that what it did is unknown.
   */
  static final String WRITE = "access IN ('write', 'delete', 'script') AND status_code IS DISTINCT FROM 'ERROR'";

  /**
   * {@code (READ) OR (WRITE)} as one {@code CASE}: over the stored events DuckDB evaluates the {@code OR} row by row
   * after the scan (0.6 s of CPU to filter the 7.4M Redis events of a 10M-span store, against 0.4 s as a {@code CASE}).
   */
  static final String READ_OR_WRITE = "CASE WHEN access = 'read' THEN key IS NOT NULL "
      + "ELSE access IN ('write', 'delete', 'script') AND status_code IS DISTINCT FROM 'ERROR' END";

  private Writers() {
  }

  /**
   * When an event looks for the write before it: a read from its start (a write that ended as it began counts), a
   * write or delete from just before its end (the one before it ended strictly earlier).
   */
  static final String ASKS_AT = "CASE WHEN access = 'read' THEN time ELSE end_time - INTERVAL 1 MICROSECOND END";

  /**
   * The reads, writes and deletes of {@code events} (a relation with the columns of {@code key_event_store}'s events
   * and {@code ev}, a number naming each row, or null) that {@code scope} selects, each with the last write or delete
   * of its place before it ({@link #ASKS_AT}); and, marked by {@code rid} (their row in {@code key_event_store}), the
   * stored events of that scope whose answer a late write among {@code events} changes. Columns: {@code rid},
   * {@code ev}, {@code t} (when it asks), the place, the columns {@code carried} names (a list of event columns,
   * or empty), and {@link #COLUMNS}.
   *
   * <p>The writes joined are those of the places asked only, so a scope of one trace reads only its own places'.
   * The join sorts what it carries: the Compactor carries nothing and joins the answers back to its events by
   * {@code ev} (6.4 s for a move of 983,040 spans when every column was carried, on a busy machine).
   */
  static String answer(String events, String scope, String carried) {
    String inScope = scope.equals("true") ? "" : " AND (" + scope + ")";
    String asking = "((" + READ + ") OR (" + WRITE + "))" + inScope;
    String write = "place_a, place_b, end_time, access, ttl, " + REF + " AS ref";
    String asks = "t, place_a, place_b" + (carried.isEmpty() ? "" : ", " + carried);
    return "WITH n AS (SELECT * FROM " + events + "), "
        + "nw AS (SELECT " + write + " FROM n WHERE " + WRITE + "), "
        // late writes: a stored event of their place asked after they ended
        + "late_w AS (" + lateWrites("nw") + "), "
        + "mend AS (SELECT e.rid, NULL::BIGINT AS ev, e." + asks.replace(", ", ", e.") + " FROM (SELECT rowid AS rid, "
        + ASKS_AT + " AS t, * FROM " + KeyEventStore.EVENTS + " WHERE " + asking + ") AS e JOIN late_w AS l "
        + "ON e.place_a = l.place_a AND e.place_b = l.place_b AND e.t >= l.since), "
        + "asked AS (SELECT NULL::BIGINT AS rid, ev, " + asks + " FROM (SELECT " + ASKS_AT + " AS t, * FROM n WHERE "
        + asking + ") UNION ALL SELECT * FROM mend), "
        // late events: their place's last stored write ended after they ask
        + "history AS (SELECT DISTINCT a.place_a, a.place_b FROM asked AS a JOIN " + STATE + " AS s "
        + "ON a.place_a = s.place_a AND a.place_b = s.place_b WHERE s.write_end > a.t OR a.rid IS NOT NULL), "
        + "candidates AS (SELECT w.* FROM nw AS w SEMI JOIN asked AS a ON w.place_a = a.place_a AND w.place_b = a.place_b "
        + "UNION ALL SELECT s.place_a, s.place_b, s.write_end, s.write_access, s.write_ttl, s.write_ref FROM " + STATE + " AS s SEMI JOIN asked AS a "
        + "ON s.place_a = a.place_a AND s.place_b = a.place_b WHERE s.write_end IS NOT NULL "
        + "UNION ALL SELECT " + write + " FROM " + KeyEventStore.EVENTS + " AS e SEMI JOIN history AS h "
        + "ON e.place_a = h.place_a AND e.place_b = h.place_b WHERE " + WRITE + ") "
        + "SELECT a.*, c.access AS write_access, c.end_time AS write_end, c.ttl AS write_ttl, c.ref AS write_ref "
        + "FROM asked AS a ASOF LEFT JOIN candidates AS c "
        + "ON a.place_a = c.place_a AND a.place_b = c.place_b AND a.t >= c.end_time";
  }

  /**
   * The reads of {@code reads} (a relation with the place and the writer as {@link #ALIASES} names it) with the
   * writer's trace, span id, service and name ({@code w_trace_id}, {@code w_span_id}, {@code w_service},
   * {@code w_name}), from its own event in {@code key_event_store} or among {@code tail} (a relation with the key
   * events' columns, or null): the write or delete of the read's place that ended when the writer ended, with the
   * writer's {@link #REF}: one event.
   *
   * <p>For a few reads ({@code reads} kept, a materialized CTE): the stored writers' rows are found on the narrow
   * place and end columns, and only theirs are read whole, by row id. A plain join of the reads with every write read
   * the ids of all of them to hash them (1.1 s for the report's 20 latest misses at 10M spans); grouping the writes
   * kept DuckDB's filter out of their scan, and a correlated subquery was planned over every read (seconds).
   */
  static String named(String reads, String tail) {
    String stored = "SELECT " + WRITER_NAMES + " FROM " + KeyEventStore.EVENTS + " WHERE rowid IN (SELECT e.rowid FROM "
        + KeyEventStore.EVENTS + " AS e SEMI JOIN " + reads + " AS q ON e.place_a = q.place_a AND e.place_b = q.place_b "
        + "AND e.end_time = q.w_end WHERE " + WRITE + ")";
    // a span the tail holds again (sent twice, not yet moved) is one writer: UNION, not UNION ALL
    String writes = tail == null ? stored : stored + " UNION SELECT " + WRITER_NAMES + " FROM " + tail + " WHERE " + WRITE;
    return withNames(reads, writes);
  }

  /**
   * {@link #named} for a relation of reads that a query filters from outside (the {@code lineage} view): a plain join
   * of the reads with every write, which DuckDB builds from the reads the filter keeps and whose ends and places it
   * pushes into the scan of the writes (one read at 10M spans in tens of ms; {@link #named}'s second reference to the
   * reads is not filtered, 9 s). The tail's writes that are stored already (a span sent again) are left out, so that
   * each read meets its writer once.
   */
  static String joined(String reads, String tail) {
    String repeats = "SELECT place_a, place_b, end_time, trace_id, span_id FROM " + KeyEventStore.EVENTS;
    String writes = "SELECT " + WRITER_NAMES + " FROM " + KeyEventStore.EVENTS + " WHERE " + WRITE
        + " UNION ALL SELECT DISTINCT t.* FROM (SELECT " + WRITER_NAMES + " FROM " + tail + " WHERE " + WRITE + ") AS t "
        + "ANTI JOIN (" + repeats + ") AS e ON t.place_a = e.place_a AND t.place_b = e.place_b AND t.end_time = e.end_time "
        + "AND t.trace_id = e.trace_id AND t.span_id = e.span_id";
    return withNames(reads, writes);
  }

  /** A write's place, end and {@link #REF}, which find it, and the ids and names a read's writer is shown by. */
  private static final String WRITER_NAMES = "place_a, place_b, end_time, " + REF + " AS ref, trace_id, span_id, "
      + "service_name, name";

  /** {@code reads}, each with the names of the one write of {@code writes} that is its writer. */
  private static String withNames(String reads, String writes) {
    return "SELECT asking.*, n.trace_id AS w_trace_id, n.span_id AS w_span_id, n.service_name AS w_service, "
        + "n.name AS w_name FROM " + reads + " AS asking LEFT JOIN (" + writes + ") AS n "
        + "ON asking.place_a = n.place_a AND asking.place_b = n.place_b AND asking.w_end = n.end_time AND asking.w_ref = n.ref";
  }

  /** {@link #named}'s columns for a question that reads none of the writer's names: null, and no lookup. */
  static String unnamed(String reads) {
    return "SELECT *, NULL::VARCHAR AS w_trace_id, NULL::VARCHAR AS w_span_id, NULL::VARCHAR AS w_service, "
        + "NULL::VARCHAR AS w_name FROM " + reads;
  }

  /**
   * Per place, the earliest end of the writes of {@code writes} that ended before a stored event of their place
   * asked ({@link #ASKS_AT}): from there on, the stored events of the place may have another answer than the one
   * kept.
   */
  static String lateWrites(String writes) {
    return "SELECT w.place_a, w.place_b, min(w.end_time) AS since FROM " + writes + " AS w JOIN " + STATE + " AS s "
        + "ON w.place_a = s.place_a AND w.place_b = s.place_b "
        + "WHERE s.last_read >= w.end_time OR s.write_end > w.end_time GROUP BY ALL";
  }
}
