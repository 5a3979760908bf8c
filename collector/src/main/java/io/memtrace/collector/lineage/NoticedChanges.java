package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.NotificationOwners.earlierOwn;
import static io.memtrace.collector.lineage.NotificationOwners.firstOwn;
import static io.memtrace.collector.lineage.NotificationOwners.lateUnexplained;
import static io.memtrace.collector.lineage.NotificationOwners.lateUntil;
import static io.memtrace.collector.lineage.NotificationOwners.ms;
import static io.memtrace.collector.lineage.NotificationOwners.nearerElsewhere;
import static io.memtrace.collector.lineage.NotificationOwners.sameRedis;

/**
 * The changes only Redis's keyspace notifications ({@code key_notification}) know of, taken into a Redis read's
 * lineage as its record's timeline takes them: a read after an outside {@code SET} saw that change, not the traced
 * write before it; after an outside {@code DEL}, an expiry or an eviction, it found nothing because of it.
 *
 * <p>For each Redis read with notifications of its key, Redis and database since its writer began (or ever, when no
 * writer is stored), the last of them (Redis sends them in the order it made the changes) is the read's last change
 * unless it is the writer's own: the first of the writer's kind ({@code write} or {@code delete}) received from
 * {@link #BEFORE_MS} before the writer began to {@link #AFTER_MS} after it ended (the window
 * {@code io.memtrace.collector.timeline.NotificationCauses} pairs in). Where that is open (the first of two received
 * before the writer began, or none of its kind and the last within its window) the writer is {@code unknown}, never
 * guessed, as is a delete whose every notification of its kind came before it began (it may have removed nothing).
 * A later change is named:
 * <ul>
 *   <li>by the stored span that accounts for it and that the kept answers do not count as the key's change: a Redis
 *   span that names no database (ioredis's) and changes the key, or a {@code GETDEL} that found it (a delete), and
 *   that began before the read ended; one such span only, two are {@code unknown}, and so is one with no database
 *   that has a notification of its kind received after it began and before the change (which was its own is open),
 *   or that deletes (with no reply either, it may have removed nothing and the del be a later DEL's);</li>
 *   <li>{@code unknown} when the key arrived from another (a {@code rename_to}, {@code copy_to} or {@code move_to}),
 *   the span of a traced RENAME, COPY or MOVE naming its source;</li>
 *   <li>else as a change outside the traced services ({@code outside}, its kind in {@code write_access}); an expiry
 *   or eviction right after the writer's own notification keeps the writer and gives the miss.</li>
 * </ul>
 * A read with a change of its key received right after it began that no stored span accounts for is {@code unknown}
 * (a busy watcher's lag hides which side of the read it was on). A writer with no database (placed in database 0) is
 * {@code unknown} when its own notification came from another
 * database. A read that found a value after a removal, or nothing right after an outside write, says {@code unknown}.
 */
final class NoticedChanges {

  /** How long before a span began its notification may be received (clocks of two hosts). */
  static final long BEFORE_MS = 250;
  /** How long after a span ended its notification may be received (delivery and the watcher's queue). */
  static final long AFTER_MS = 1_000;

  /**
   * How soon after one notification another of its kind is received together with it (a busy watcher's backlog), as
   * {@code io.memtrace.collector.timeline.NotificationCauses#TOGETHER_US}.
   */
  static final long TOGETHER_MS = 1;

  private static final String CHANGES = "('write', 'delete', 'expiry', 'eviction')";
  private static final String MOVED_HERE = "('rename_to', 'copy_to', 'move_to')";

  /**
   * The writer's start and whether it names no database, of the lineage row {@code j}: looked up once per read, as is
   * {@link NotificationOwners#lateUntil}, and read by the steps after (each correlated subquery repeated cost its
   * planning again: about 0.1 s of a statement's CPU each).
   */
  static final String WRITER = "(SELECT struct_pack(began := min(e.time), dbless := bool_or(e.db IS NULL)) FROM "
      + "key_event_rows AS e WHERE e.layer = 'redis' AND e.place_a = j.place_a AND e.place_b = j.place_b AND "
      + "e.end_time = j.w_end AND e.access IN ('write', 'delete'))";

  private NoticedChanges() {
  }

  /**
   * {@code joined} (the rows of a lineage branch: the read's event columns, its writer as {@code w_*} and
   * {@code compressed}) with the notifications taken in: the {@code w_*} columns of the change the read saw, and
   * {@code noticed_writer} ({@code outside}, {@code unknown} or null: the writer as the kept answer says) and
   * {@code noticed_miss} (or null).
   */
  static String taken(String joined) {
    String collected = "SELECT j.*, CASE WHEN j.layer = 'redis' AND NOT j.compressed THEN (SELECT "
        + "list(struct_pack(t := n.time, kind := n.kind, event := n.event, db := n.db, earlier := " + earlierOwn()
        + ") ORDER BY n.time) "
        + "FROM key_notification AS n WHERE n.key = j.key AND (n.time < j.time OR n.time <= j.late_until) "
        + "AND n.time >= coalesce(j.w_end - "
        + ms(AFTER_MS + BEFORE_MS) + ", '-infinity'::TIMESTAMP) AND n.kind IN " + CHANGES + " AND "
        + sameRedis("j.redis", "n.redis") + ") END AS noticed, j.layer = 'redis' AND NOT j.compressed AND "
        + lateUnexplained() + " AS late_change FROM (SELECT j.*, " + lateUntil() + " AS late_until, " + WRITER
        + " AS ws FROM " + joined + " AS j) AS j";
    // whether Redis ever reported a change of the key: then a delete without its reply whose own notification is
    // missing (ioredis's DEL of a key already gone) removed nothing, and the change before it is not known here
    String watched = "(SELECT count(*) > 0 FROM key_notification AS k WHERE k.key = n.key AND "
        + sameRedis("n.redis", "k.redis") + ")";
    String since = "coalesce(ws.began - " + ms(BEFORE_MS) + ", '-infinity'::TIMESTAMP)";
    String own = "x.kind = w_access AND NOT x.earlier AND x.t >= " + since + " AND x.t <= w_end + " + ms(AFTER_MS);
    String looked = "SELECT *, list_filter(noticed, lambda x: x.db = coalesce(db, 0) AND x.t >= " + since + ") AS ns, "
        + "coalesce(len(list_filter(noticed, lambda x: " + own + ")) > 0, false) AS own_anywhere "
        + "FROM (SELECT n.*, " + watched + " AS watched FROM noticed_reads AS n "
        + "WHERE len(n.noticed) > 0 OR n.w_access = 'delete')";
    String mine = "list_filter(ns, lambda x: " + own + ")";
    // the writer's own is the first of its kind in its window; one received before the writer began may be an
    // earlier change's (the clocks of two hosts), and then which one is the writer's is open
    // a writer with no database whose own change is another database's notification, nearer it than any of the
    // read's database: it is not the read's writer, and the read's database's last change is
    String nearestMine = "coalesce(list_min(list_transform(mine, lambda y: abs(epoch_us(y.t) - epoch_us(w_end)))), "
        + Long.MAX_VALUE + ")";
    // not one received after it ended when one of the read's database was received while it ran (Redis sends a
    // command's events before its reply): a Node DEL's own del, received while it ran, was called an outside delete,
    // an untraced DEL of another database received 1.8 ms after it ended being nearer its end (truth suite seed 21163)
    String mineWhileRan = "len(list_filter(mine, lambda y: y.t >= ws.began AND y.t <= w_end)) > 0";
    String elsewhere = "ws.dbless AND len(list_filter(noticed, lambda x: x.kind = w_access AND x.db <> coalesce(db, 0) "
        + "AND x.t >= " + since + " AND x.t <= w_end + " + ms(AFTER_MS) + " AND abs(epoch_us(x.t) - epoch_us(w_end)) < "
        + nearestMine + " AND NOT (x.t > w_end AND " + mineWhileRan + "))) > 0";
    String state = "CASE WHEN w_end IS NOT NULL AND " + elsewhere + " THEN CASE WHEN len(ns) = 0 THEN 'unknown' "
        + "ELSE 'last' END "
        + "WHEN w_end IS NOT NULL AND ws.dbless AND len(mine) = 0 AND own_anywhere THEN 'unknown' "
        + "WHEN ws.dbless AND w_access = 'delete' AND NOT own_anywhere AND watched THEN 'unknown' "
        // a delete whose every notification of its kind came before it began: it may have removed nothing (a
        // reply of 0 is no delete here, but ioredis's span has none), and that del is then an earlier change's
        + "WHEN w_end IS NOT NULL AND w_access = 'delete' AND len(mine) > 0 AND mine[-1].t < ws.began THEN 'unknown' "
        + "WHEN len(ns) = 0 THEN 'keep' WHEN w_end IS NULL THEN 'last' "
        + "WHEN len(mine) = 0 THEN CASE WHEN ns[-1].t > w_end + " + ms(AFTER_MS) + " THEN 'last' ELSE 'unknown' END "
        + "WHEN len(mine) > 1 AND mine[1].t < ws.began THEN 'unknown' "
        // the last two of its kind received together, after it ended, the later the read's last change: a busy
        // watcher's backlog, in which an earlier span's own may come second (truth suite seed 51904: the sets of two
        // traced SETs and a MULTI's received within 6 us, 1.8 ms after the writer ended, its own called outside)
        + "WHEN len(mine) > 1 AND ns[-1].t = mine[-1].t AND mine[-2].t > w_end AND mine[-1].t <= mine[-2].t + "
        + ms(TOGETHER_MS) + " THEN 'unknown' "
        // the first of its kind received while it ran, the read's last change the second, received after it ended and
        // nearer its end: the first may be an earlier change received late and the second its own, as the timeline
        // pairs them (nearest first); which is whose is open (truth suite seed 52393: a traced SET's own set called
        // outside, an untraced SET's just before it received as it ran)
        + "WHEN len(mine) > 1 AND mine[1].t >= ws.began AND mine[1].t <= w_end AND ns[-1].t = mine[2].t "
        + "AND mine[2].t > w_end AND epoch_us(mine[2].t) - epoch_us(w_end) < epoch_us(w_end) - epoch_us(mine[1].t) "
        + "THEN 'unknown' "
        + "WHEN ns[-1].t > mine[1].t THEN CASE WHEN ns[-1].kind IN ('expiry', 'eviction') AND len(list_filter(ns, "
        + "lambda x: x.t > mine[1].t)) = 1 THEN 'after' ELSE 'last' END ELSE 'keep' END";
    String stated = "SELECT * EXCLUDE (mine), " + state + " AS state, ns[-1] AS last_n FROM (SELECT *, " + mine
        + " AS mine FROM (" + looked + "))";
    String drop = "noticed, ns, own_anywhere, watched, state, last_n";
    // the stored spans the kept answers do not count as the key's change that may account for the last one
    String candidates = "(SELECT list(struct_pack(trace_id := e.trace_id, span_id := e.span_id, service := e.service_name, "
        + "name := e.name, access := CASE WHEN e.access = 'read' THEN 'delete' ELSE e.access END, end_time := e.end_time, "
        + "ttl := e.ttl, dbless := e.db IS NULL, first_own := CASE WHEN e.db IS NULL THEN " + firstOwn() + " END) "
        + "ORDER BY e.end_time) "
        + "FROM key_event_rows AS e WHERE e.layer = 'redis' AND e.key = t.key AND "
        + sameRedis("e.redis", "t.redis") + " AND e.status_code IS DISTINCT FROM 'ERROR' "
        + "AND e.end_time > coalesce(t.w_end, '-infinity'::TIMESTAMP) AND e.time < t.end_time "
        + "AND t.last_n.t BETWEEN e.time - " + ms(BEFORE_MS) + " AND e.end_time + " + ms(AFTER_MS) + " "
        + "AND (e.db IS NULL AND e.access = t.last_n.kind AND NOT " + nearerElsewhere() + " OR upper(e.operation) = "
        + "'GETDEL' AND e.found AND t.last_n.kind = 'delete' AND coalesce(e.db, 0) = coalesce(t.db, 0)))";
    String withCandidates = "SELECT t.*, CASE WHEN t.last_n.event NOT IN " + MOVED_HERE + " THEN " + candidates
        + " END AS cands FROM noticed_stated AS t WHERE t.state = 'last'";
    // a span with no database whose window held a change of its kind received after it began and before the last
    // one: which of the two was its own is open (Redis's order does not say whose each is); and a DEL with no database
    // has no reply either (ioredis's): whether the del is its own or a later DEL's after it removed nothing is open
    String how = "CASE WHEN last_n.event IN " + MOVED_HERE + " OR len(cands) > 1 OR len(cands) = 1 AND "
        + "(cands[1].first_own < last_n.t OR cands[1].dbless AND cands[1].access = 'delete') THEN 'unknown' "
        + "WHEN len(cands) = 1 THEN 'span' ELSE 'outside' END";
    String kind = "CASE WHEN " + how + " = 'span' THEN cands[1].access ELSE last_n.kind END";
    String h = "CASE WHEN " + how + " = 'unknown' OR found AND " + kind + " <> 'write' THEN 'unknown' ELSE " + how + " END";
    String last = "SELECT * EXCLUDE (w_trace_id, w_span_id, w_service, w_name, w_access, w_end, w_ttl, " + drop
        + ", cands, h), "
        + "CASE WHEN h = 'span' THEN cands[1].trace_id END AS w_trace_id, "
        + "CASE WHEN h = 'span' THEN cands[1].span_id END AS w_span_id, "
        + "CASE WHEN h = 'span' THEN cands[1].service END AS w_service, "
        + "CASE WHEN h = 'span' THEN cands[1].name END AS w_name, "
        + "CASE WHEN h = 'span' THEN cands[1].access WHEN h = 'outside' THEN last_n.kind END AS w_access, "
        + "CASE WHEN h = 'span' THEN cands[1].end_time WHEN h = 'outside' THEN last_n.t END AS w_end, "
        + "CASE WHEN h = 'span' THEN cands[1].ttl END AS w_ttl, "
        + "CASE WHEN h <> 'span' THEN h END AS noticed_writer, "
        + "CASE WHEN h = 'outside' AND NOT coalesce(found, true) THEN CASE last_n.kind WHEN 'delete' THEN 'deleted' "
        + "WHEN 'expiry' THEN 'expired' WHEN 'eviction' THEN 'evicted' ELSE 'unknown' END END AS noticed_miss "
        + "FROM (SELECT *, " + h + " AS h FROM (" + withCandidates + "))";
    String after = "SELECT * EXCLUDE (" + drop + "), CASE WHEN found THEN 'unknown' END AS noticed_writer, "
        + "CASE WHEN NOT coalesce(found, true) THEN CASE last_n.kind WHEN 'expiry' THEN 'expired' ELSE 'evicted' END END "
        + "AS noticed_miss FROM noticed_stated WHERE state = 'after'";
    String unknown = "SELECT * EXCLUDE (" + drop + "), 'unknown' AS noticed_writer, NULL::VARCHAR AS noticed_miss "
        + "FROM noticed_stated WHERE state = 'unknown'";
    String kept = "SELECT * EXCLUDE (noticed), NULL::VARCHAR AS noticed_writer, NULL::VARCHAR AS noticed_miss FROM "
        + "noticed_reads WHERE (noticed IS NULL OR len(noticed) = 0) AND w_access IS DISTINCT FROM 'delete' "
        + "UNION ALL BY NAME SELECT * EXCLUDE (" + drop + "), "
        + "NULL::VARCHAR AS noticed_writer, NULL::VARCHAR AS noticed_miss FROM noticed_stated WHERE state = 'keep'";
    String all = kept + " UNION ALL BY NAME " + after + " UNION ALL BY NAME " + unknown + " UNION ALL BY NAME " + last;
    return "(WITH noticed_reads AS MATERIALIZED (" + collected + "), noticed_stated AS MATERIALIZED (" + stated + ") "
        + "SELECT j.* EXCLUDE (noticed_writer, noticed_miss, late_change, late_until, ws), "
        + "CASE WHEN j.late_change THEN 'unknown' ELSE j.noticed_writer END AS noticed_writer, "
        + "CASE WHEN j.late_change THEN NULL ELSE j.noticed_miss END AS noticed_miss FROM (" + all + ") AS j)";
  }
}
