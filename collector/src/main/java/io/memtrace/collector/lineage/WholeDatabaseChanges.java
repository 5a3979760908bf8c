package io.memtrace.collector.lineage;

import io.memtrace.collector.store.Schema;
import io.memtrace.collector.timeline.RecordTables;
import java.util.stream.Collectors;

/**
 * The traced commands that change a whole database ({@code FLUSHDB}, {@code FLUSHALL}, {@code SWAPDB}) taken into a
 * Redis read's lineage, as its record's timeline takes them ({@code io.memtrace.collector.timeline.WholeDatabase}):
 * their span names no key and Redis sends no keyspace event per key for them, so the read's writer as the kept
 * answers and the notifications give it may be from before one.
 *
 * <p>When such a command of the read's Redis (for {@code FLUSHDB}, of its database) ended after the change the read
 * saw and before the read began, the command is the read's writer, {@code whole_db} (its span in the {@code write_*}
 * columns, the miss {@code unknown}): a value found came after it, or by it, and what it left is not known. Where it
 * is certain, a {@code FLUSHDB} or {@code FLUSHALL} after a write is the read's delete ({@code seen}, {@code write_access}
 * {@code delete}), and a value found after a {@code SWAPDB} where the change before it had removed the key is the
 * {@code SWAPDB}'s ({@code seen}, {@code write}). A read that found nothing after a removal keeps it: the command
 * found the key gone.
 */
final class WholeDatabaseChanges {

  private WholeDatabaseChanges() {
  }

  /** The view of the traced commands on a whole database that {@link LineageViews#createViews} makes. */
  static final String VIEW = "whole_database_commands";

  /**
   * The traced commands on a whole database among {@code spans} (the store's spans with their typed columns), that
   * Redis did not refuse: their times, ids, service, name, {@code command} (upper case), {@code redis}
   * ({@code host:port}) and {@code db}.
   */
  static String commands(String spans, boolean narrow) {
    String commands = RecordTables.WHOLE_DATABASE.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
    String command = "upper(coalesce(db_operation_name, name))";
    String where = " WHERE (db_system_name IS NOT NULL OR db_system IS NOT NULL) AND status_code IS DISTINCT FROM "
        + "'ERROR' AND " + command + " IN (" + commands + ")";
    String columns = "start_time, end_time, trace_id, span_id, parent_span_id, service_name, name, " + command
        + " AS command, CASE WHEN server_address IS NOT NULL THEN server_address || ':' || "
        + "coalesce(server_port::VARCHAR, '') END AS redis, TRY_CAST(db_namespace AS INTEGER) AS db";
    String text = "TRY_CAST(attributes['db.query.text'] AS VARCHAR)";
    if (!narrow) {
      return "SELECT " + columns + ", " + swapped(text) + " AS swapped FROM " + spans + where;
    }
    // over span_store, the commands found from narrow columns first, and the statement of a SWAPDB among them fetched
    // by its row: a scan that projected the attributes read every span's (2.0 s of a trace's 2.4 s lineage question at
    // 10M spans, against 0.24 s this way); the tail of span_ingest is small, read as the view spans reads it. Not
    // materialized, so that a timeline's window on start_time reaches the scan (its question 0.26 s against 0.57)
    // the names first as instrumentations spell them (upper case, or lower as Node's), compared as stored: the scan
    // tests them without upper() of every span's name (0.14 s against 0.34 s at 10M spans)
    String spelled = RecordTables.WHOLE_DATABASE.stream().flatMap(c -> java.util.stream.Stream.of(c,
        c.toLowerCase(java.util.Locale.ROOT))).map(c -> "'" + c + "'").collect(Collectors.joining(", "));
    String found = "SELECT rowid AS rid, " + columns + " FROM span_store" + where + " AND (db_operation_name IN ("
        + spelled + ") OR name IN (" + spelled + "))";
    String texts = "SELECT rowid AS rid, " + text + " AS text FROM span_store WHERE rowid IN (SELECT rid FROM found "
        + "WHERE command = 'SWAPDB')";
    return "WITH found AS NOT MATERIALIZED (" + found + "), texts AS (" + texts + ") SELECT found.* EXCLUDE (rid), "
        + swapped("texts.text") + " AS swapped FROM found LEFT JOIN texts USING (rid) UNION ALL SELECT " + columns
        + ", " + swapped(text) + " AS swapped FROM (SELECT " + String.join(", ", INGEST_COLUMNS)
        + ", attributes::JSON::VARIANT AS attributes FROM " + Schema.TAIL + ")" + where;
  }

  /**
   * The commands on a whole database the keyspace watcher counted in the server's {@code INFO commandstats}, one row a
   * call ({@code keyspace.notify.WholeDatabaseCalls}: a row of {@code key_notification} with no key, its event the
   * command, its weight the seconds of the window before its time in which it ran): {@code start_time},
   * {@code end_time}, {@code redis} and {@code command} (upper case). Traced ones are among them.
   */
  static String untraced() {
    String events = RecordTables.WHOLE_DATABASE.stream().map(c -> "'" + c.toLowerCase(java.util.Locale.ROOT) + "'")
        .collect(Collectors.joining(", "));
    return "SELECT time - to_microseconds(CAST(round(weight * 1000000) AS BIGINT)) AS start_time, time AS end_time, "
        + "redis, upper(event) AS command FROM key_notification WHERE key = '' AND event IN (" + events + ")";
  }

  /** The columns of {@code span_ingest} that {@link #commands} reads there, besides its attributes. */
  static final java.util.List<String> INGEST_COLUMNS = java.util.List.of("start_time", "end_time", "trace_id",
      "span_id", "parent_span_id", "service_name", "name", "status_code", "db_operation_name", "db_system_name",
      "db_system", "server_address", "server_port", "db_namespace");

  /** A SWAPDB's two databases from its statement {@code text}, as the agent writes them (SWAPDB 0 1); else null. */
  private static String swapped(String text) {
    String pair = "'^[Ss][Ww][Aa][Pp][Dd][Bb] +([0-9]{1,3}) +([0-9]{1,3})$'";
    return "CASE WHEN regexp_matches(" + text + ", " + pair + ") THEN [TRY_CAST(regexp_extract(" + text
        + ", " + pair + ", 1) AS INTEGER), TRY_CAST(regexp_extract(" + text + ", " + pair + ", 2) AS INTEGER)] END";
  }

  /**
   * {@code from} (a lineage branch's rows with the notifications taken in: the read's columns, the {@code w_*}
   * columns, {@code compressed}, {@code noticed_writer} and {@code noticed_miss}) with such commands taken in. When
   * not {@code noticed} (the store holds no keyspace notification, {@link Scope#unnoticed}), what only
   * {@code key_notification} can tell is left out: an expiry or eviction as the read ran, and the untraced commands
   * (the watcher's counts are rows of it). Neither could change an answer, and their subqueries were most of the
   * planning they added to a statement (a trace's lineage 80 ms of CPU with them against 44 without, at 700 spans).
   * {@code commands}: {@link #VIEW}, or the part of it that can hold the reads' writers
   * ({@link LineageViews#wholeDatabaseCommands}).
   */
  static String taken(String from, boolean noticed, String commands) {
    // the last such command, and how many there were (after two, which one changed the key is unknown)
    String latest = "(SELECT CASE WHEN count(*) > 0 THEN struct_insert(arg_max(struct_pack(t := w.end_time, "
        + "trace_id := w.trace_id, span_id := w.span_id, service := w.service_name, name := w.name, "
        + "command := w.command, swapped := w.swapped), w.end_time), n := count(*)) END FROM " + commands + " AS w WHERE "
        + "(w.redis IS NULL OR f.redis IS NULL OR " + NotificationOwners.normalAddress("w.redis") + " = "
        + NotificationOwners.normalAddress("f.redis") + ") AND (w.command <> 'FLUSHDB' OR w.db IS NULL OR f.db IS NULL "
        + "OR w.db = f.db) AND (w.swapped IS NULL OR f.db IS NULL OR list_contains(w.swapped, f.db)) "
        + "AND w.end_time <= f.time AND w.end_time > coalesce(f.w_end, '-infinity'::TIMESTAMP))";
    // a read that found nothing whose removal the notifications report right after the writer (an expiry or eviction)
    // keeps it: a FLUSHDB or SWAPDB after it found the key gone (truth suite seeds 241, 372, 478, 567, 841)
    // unless Redis reported an expiry or eviction of the key as the read ran, after such a command: of a value it may
    // have brought (seeds 35658, 38153: a SWAPDB brought a Node SET's value with PX, expired as the read ran), as the
    // timeline says (MissReasons)
    String triggered = "EXISTS (SELECT 1 FROM key_notification AS n WHERE n.key = f.key AND "
        + NotificationOwners.sameRedis("f.redis", "n.redis") + " AND n.db = coalesce(f.db, 0) AND n.kind IN ('expiry', "
        + "'eviction') AND n.time >= f.time AND n.time <= f.end_time + " + NotificationOwners.ms(NoticedChanges.AFTER_MS)
        + ")";
    String trig = !noticed ? "false"
        : "f.layer = 'redis' AND NOT f.compressed AND NOT coalesce(f.found, true) AND " + triggered;
    String placed = "SELECT f.*, CASE WHEN f.layer = 'redis' AND NOT f.compressed AND ((f.found OR f.w_access IN "
        + "('write', 'script')) AND f.noticed_miss IS NULL OR f.trig) THEN " + latest + " END AS wd FROM (SELECT f.*, "
        + trig + " AS trig FROM " + from + " AS f) AS f";
    // a SWAPDB whose databases are known (this one among them) replaced the key as surely as a FLUSHDB emptied it
    String certain = "wd.n = 1 AND (wd.command <> 'SWAPDB' OR wd.swapped IS NOT NULL) AND NOT coalesce(found, true) "
        + "AND NOT trig "
        + "AND w_access = 'write' "
        + "AND coalesce(noticed_writer, 'outside') = 'outside'";
    // a value found after a SWAPDB where the change before it had removed the key: the SWAPDB brought it
    String brought = "wd.n = 1 AND wd.command = 'SWAPDB' AND found AND (wd.swapped IS NOT NULL AND noticed_writer "
        + "IS DISTINCT FROM 'unknown' OR w_access IN ('delete', 'expiry', 'eviction') "
        + "AND coalesce(noticed_writer, 'outside') = 'outside')";
    // a certain answer rests on the change before the command too: from when untraced ones count (seed 45211)
    String wdSince = !noticed ? "" : ", CASE WHEN wd IS NOT NULL AND (" + certain + " OR wd.swapped IS NULL AND "
        + brought + ") THEN " + since("") + " END AS wd_since";
    String replaced = "SELECT * REPLACE ("
        + "CASE WHEN wd IS NULL THEN w_trace_id ELSE wd.trace_id END AS w_trace_id, "
        + "CASE WHEN wd IS NULL THEN w_span_id ELSE wd.span_id END AS w_span_id, "
        + "CASE WHEN wd IS NULL THEN w_service ELSE wd.service END AS w_service, "
        + "CASE WHEN wd IS NULL THEN w_name ELSE wd.name END AS w_name, "
        + "CASE WHEN wd IS NULL THEN w_access WHEN " + certain + " THEN 'delete' WHEN " + brought + " THEN 'write' "
        + "ELSE 'whole_db' END AS w_access, "
        + "CASE WHEN wd IS NULL THEN w_end ELSE wd.t END AS w_end, "
        + "CASE WHEN wd IS NULL THEN w_ttl END AS w_ttl, "
        + "CASE WHEN wd IS NULL THEN noticed_writer END AS noticed_writer, "
        + "CASE WHEN wd IS NULL THEN noticed_miss END AS noticed_miss)" + wdSince + " FROM (" + placed + ")";
    String taken = "(SELECT * EXCLUDE (wd, trig) FROM (" + replaced + "))";
    return noticed ? untracedTaken(taken) : taken;
  }

  /**
   * From when an untraced command may have changed what a read's writer (the columns of {@code f}, a prefix such as
   * {@code "f."} or none) left: its end, or for a change only a notification reports, a little before it was received.
   */
  private static String since(String f) {
    return "CASE WHEN " + f + "noticed_writer = 'outside' THEN " + f + "w_end - INTERVAL " + NoticedChanges.BEFORE_MS
        + " MILLISECOND ELSE " + f + "w_end END";
  }

  /** The view of the commands on a whole database the watcher counted that no traced span accounts for. */
  static final String UNTRACED_VIEW = "untraced_whole_database";

  /**
   * {@link #UNTRACED_VIEW}: the windows of {@link #untraced} ({@code start_time}, {@code end_time}, {@code redis},
   * {@code command}) with {@code n}, how many calls in each no traced span accounts for. Each traced command of
   * {@link #VIEW} accounts for one call of the one window of its command and Redis it overlaps (none when it overlaps
   * two), as {@code io.memtrace.collector.timeline.UntracedWholeDatabase} takes them out.
   */
  static String untracedWindows() {
    String counted = "SELECT start_time, end_time, redis, command, count(*) AS n FROM (" + untraced() + ") GROUP BY ALL";
    // a span that overlaps two windows (a poll being answered) accounts for neither: which counted it is not known
    String assigned = "SELECT any_value(struct_pack(s := c.start_time, e := c.end_time, r := c.redis, "
        + "cmd := c.command)) AS win FROM " + VIEW + " AS w JOIN counted AS c ON starts_with(w.command, c.command) AND "
        + "(w.redis IS NULL OR " + NotificationOwners.normalAddress("w.redis") + " = "
        + NotificationOwners.normalAddress("c.redis") + ") AND w.end_time >= c.start_time AND w.start_time <= "
        + "c.end_time GROUP BY w.trace_id, w.span_id HAVING count(DISTINCT struct_pack(s := c.start_time, "
        + "e := c.end_time, r := c.redis)) = 1";
    return "WITH counted AS (" + counted + "), taken AS (SELECT win.s AS s, win.e AS e, win.r AS r, win.cmd AS cmd, "
        + "count(*) AS k FROM (" + assigned + ") GROUP BY ALL) SELECT c.start_time, c.end_time, c.redis, c.command, "
        + "c.n - coalesce(t.k, 0) AS n FROM counted AS c LEFT JOIN taken AS t ON t.s = c.start_time AND t.e = "
        + "c.end_time AND t.r = c.redis AND t.cmd = c.command WHERE c.n - coalesce(t.k, 0) > 0";
  }

  /**
   * {@code taken} (a lineage branch's rows with the traced commands taken in) with the untraced ones taken in, as the
   * timeline takes them ({@code io.memtrace.collector.timeline.UntracedWholeDatabase}): a Redis read whose answer
   * names a change (the writer seen, an outside change, a removal) after which one of {@link #UNTRACED_VIEW} ran,
   * before the read ended, is {@code whole_db} (writer and miss unknown) where that command could make the answer
   * wrong: a {@code SWAPDB} before a value found; any before a read that found nothing after a write; two, one a
   * {@code SWAPDB}, after a removal or before a read of a key nothing held, when the key was written in another
   * database. A traced command's certain answer (its delete after a write, a value a {@code SWAPDB} that named no
   * database brought after a removal) rests on that change before it: any such command since then makes it unknown.
   */
  private static String untracedTaken(String taken) {
    String since = "coalesce(f.wd_since, " + since("f.") + ")";
    String asked = "f.layer = 'redis' AND NOT f.compressed AND f.found IS NOT NULL AND coalesce(f.noticed_writer, "
        + "'outside') = 'outside' AND coalesce(f.w_access, '') NOT IN ('script', 'whole_db') AND (f.w_end IS NOT NULL "
        + "OR NOT f.found)";
    String windows = "(SELECT CASE WHEN count(*) > 0 THEN struct_pack(n := sum(u.n), swaps := sum(CASE WHEN u.command "
        + "= 'SWAPDB' THEN u.n ELSE 0 END), e := max(u.end_time)) END FROM " + UNTRACED_VIEW + " AS u WHERE (u.redis IS "
        + "NULL OR f.redis IS NULL OR " + NotificationOwners.normalAddress("u.redis") + " = "
        + NotificationOwners.normalAddress("f.redis") + ") AND u.end_time > coalesce(" + since + ", '-infinity'"
        + "::TIMESTAMP) AND u.start_time < f.end_time)";
    String placed = "SELECT f.*, CASE WHEN " + asked + " THEN " + windows + " END AS uw FROM " + taken + " AS f";
    // after a removal (or nothing), one command found the key gone or brought a value the read would have found; not
    // a traced command's certain delete, which rests on the write before it
    String keeps = "(wd_since IS NULL AND coalesce(w_end IS NULL OR noticed_miss IN ('deleted', 'expired', 'evicted') "
        + "OR noticed_writer IS NULL AND w_access IN ('delete', 'expiry', 'eviction'), false))";
    // two, one a SWAPDB, may have brought a value from another database where the key was written, and taken it
    String elsewhere = "EXISTS (SELECT 1 FROM key_notification AS n WHERE n.key = g.key AND n.kind = 'write' AND n.db <> "
        + "coalesce(g.db, 0) AND n.time < g.end_time AND " + NotificationOwners.sameRedis("g.redis", "n.redis") + ")";
    String unknown = "coalesce(uw IS NOT NULL AND (found AND uw.swaps > 0 OR NOT found AND (NOT " + keeps + " OR uw.n > 1 "
        + "AND uw.swaps > 0 AND " + elsewhere + ")), false)";
    // judged once a row (its EXISTS is a subquery), then used by each column it blanks
    String judged = "SELECT g.*, " + unknown + " AS uw_unknown FROM (" + placed + ") AS g";
    return "(SELECT * EXCLUDE (uw, wd_since, uw_unknown) REPLACE ("
        + "CASE WHEN uw_unknown THEN NULL ELSE w_trace_id END AS w_trace_id, "
        + "CASE WHEN uw_unknown THEN NULL ELSE w_span_id END AS w_span_id, "
        + "CASE WHEN uw_unknown THEN NULL ELSE w_service END AS w_service, "
        + "CASE WHEN uw_unknown THEN 'untraced' ELSE w_name END AS w_name, "
        + "CASE WHEN uw_unknown THEN 'whole_db' ELSE w_access END AS w_access, "
        + "CASE WHEN uw_unknown THEN uw.e ELSE w_end END AS w_end, "
        + "CASE WHEN uw_unknown THEN NULL ELSE w_ttl END AS w_ttl, "
        + "CASE WHEN uw_unknown THEN NULL ELSE noticed_writer END AS noticed_writer, "
        + "CASE WHEN uw_unknown THEN NULL ELSE noticed_miss END AS noticed_miss) FROM (" + judged + "))";
  }
}
