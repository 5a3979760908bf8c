package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.NoticedChanges.AFTER_MS;
import static io.memtrace.collector.lineage.NoticedChanges.BEFORE_MS;

/**
 * Whose change a keyspace notification ({@code key_notification}) is, as SQL over the notifications and the stored
 * spans' key events ({@code key_event_rows}): a stored span's own change is the first notification of its kind and key
 * received within its window ({@link NoticedChanges#BEFORE_MS} before it began to {@link NoticedChanges#AFTER_MS}
 * after it ended); one received late may be a change before or after a read. {@link NoticedChanges} takes the
 * notifications into a read's lineage by these rules. Each fragment reads the aliases its Javadoc names ({@code j} a
 * lineage row, {@code e} a span, {@code n} and {@code o} notifications), which the query around it binds.
 */
final class NotificationOwners {

  private NotificationOwners() {
  }

  /** {@code address} (a SQL expression) with a loopback host written {@code localhost}, as {@code RedisAddress}. */
  static String normalAddress(String address) {
    return "regexp_replace(lower(trim(" + address + ")), '^\\[?(127\\.0\\.0\\.1|::1|0:0:0:0:0:0:0:1)\\]?(:[0-9]*)?$', "
        + "'localhost\\2')";
  }

  static String sameRedis(String span, String notification) {
    return "(" + span + " IS NULL OR " + normalAddress(span) + " = " + normalAddress(notification) + ")";
  }

  static String ms(long ms) {
    return "INTERVAL " + ms + " MILLISECOND";
  }

  /**
   * The last notification received after the read {@code j} began that is the own change of a write with no database
   * (ioredis's) which ended before the read began, or null: the first write received from that span's start to
   * {@link NoticedChanges#AFTER_MS} after its end. Its change came before the read, so every notification received up
   * to it did too (Redis sends them in the order it made the changes); a notification of a change right before the read
   * may arrive after the read began, while the watcher is slow. Deletes are left out: one with no reply may have
   * removed nothing, and the first delete in its window is then a later change's.
   */
  static String lateUntil() {
    String own = "(SELECT min(o.time) FROM key_notification AS o WHERE o.key = e.key AND o.kind = e.access AND "
        + sameRedis("e.redis", "o.redis") + " AND o.time >= e.time AND o.time <= e.end_time + " + ms(AFTER_MS) + ")";
    return "(SELECT max(t) FROM (SELECT " + own + " AS t FROM key_event_rows AS e WHERE e.layer = 'redis' "
        + "AND e.key = j.key AND e.db IS NULL AND e.access = 'write' AND e.status_code IS DISTINCT FROM "
        + "'ERROR' AND " + sameRedis("j.redis", "e.redis") + " AND e.end_time < j.time AND e.end_time >= j.time - "
        + ms(AFTER_MS) + " AND e.end_time > coalesce(j.w_end, '-infinity'::TIMESTAMP)) WHERE t >= j.time)";
  }

  /**
   * Whether the span {@code e} (with no database) has a notification of its kind from another database than
   * {@code t.last_n}'s within its window and nearer its end: that one is its own change, and {@code last_n}, an
   * untraced SET of the key in another database a few milliseconds before a Node SET, is not.
   */
  static String nearerElsewhere() {
    String apart = "abs(epoch_us(%s) - epoch_us(e.end_time))";
    return "EXISTS (SELECT 1 FROM key_notification AS o WHERE o.key = e.key AND o.kind = e.access AND o.db <> "
        + "t.last_n.db AND " + sameRedis("e.redis", "o.redis") + " AND o.time BETWEEN e.time - " + ms(BEFORE_MS)
        + " AND e.end_time + " + ms(AFTER_MS) + " AND " + apart.formatted("o.time") + " < "
        + apart.formatted("t.last_n.t") + " AND NOT " + claimed() + ")";
  }

  /**
   * Whether the notification {@code o} is the own change of a span that names its database: the first of its kind,
   * key and database received after that span began, within {@link NoticedChanges#AFTER_MS} after it ended (truth
   * suite seed 70: a traced SETEX in another database 1 ms after a Node SET is not the Node SET's).
   */
  static String claimed() {
    return "EXISTS (SELECT 1 FROM key_event_rows AS f WHERE f.layer = 'redis' AND f.key = o.key AND f.db = o.db AND "
        + "f.access = o.kind AND f.status_code IS DISTINCT FROM 'ERROR' AND " + sameRedis("f.redis", "o.redis")
        + " AND " + ownOf("f", "o") + ")";
  }

  /**
   * Whether the notification {@code n} is the own change of the stored span {@code s} of its key and kind: the first
   * of its kind, key and database (any database for a span that names none) received after {@code s} began, within
   * {@link NoticedChanges#AFTER_MS} after it ended.
   */
  static String ownOf(String s, String n) {
    String q = "q_" + s;
    return n + ".time BETWEEN " + s + ".time AND " + s + ".end_time + " + ms(AFTER_MS) + " AND NOT EXISTS (SELECT 1 "
        + "FROM key_notification AS " + q + " WHERE " + q + ".key = " + n + ".key AND (" + s + ".db IS NULL OR " + q
        + ".db = " + n + ".db) AND " + q + ".kind = " + n + ".kind AND " + sameRedis(q + ".redis", n + ".redis")
        + " AND " + q + ".time >= " + s + ".time AND " + q + ".time < " + n + ".time)";
  }

  /**
   * Whether the read {@code j} has a change of its key and database received after it began, within
   * {@link NoticedChanges#BEFORE_MS} after it ended, that the view has not taken in ({@link #lateUntil}, the read's
   * column {@code late_until}) and that no stored span of the key which began after the read and before it was
   * received may account for: a busy watcher
   * receives a change up to about 120 ms late, so an untraced change right before the read and one right after it look
   * alike. Each such span accounts for one change at most: when, up to a change's receipt, more changes were received
   * than spans began, one of them is unexplained (truth suite seed 35 under the defaults: an untraced SET's set
   * received after the read and after the traced SET that followed it began, with that SET's own). A read that found
   * a value asks about writes (a delete before it would have left nothing), one that found nothing about deletes;
   * expiries and evictions are left out (a read of an expired key makes Redis report its expiry).
   */
  static String lateUnexplained() {
    String since = "coalesce(j.late_until, '-infinity'::TIMESTAMP)";
    String received = "SELECT count(*) FROM key_notification AS m WHERE m.key = j.key AND "
        + sameRedis("j.redis", "m.redis") + " AND m.db = coalesce(j.db, 0) AND " + lateKinds("m") + " AND m.time >= "
        + "j.time AND m.time <= n.time AND m.time > " + since;
    String began = "SELECT count(*) FROM key_event_rows AS e WHERE e.layer = 'redis' AND e.key = j.key AND "
        + sameRedis("e.redis", "n.redis") + " AND e.span_id <> j.span_id AND (e.access <> 'read' OR upper(e.operation) "
        + "= 'GETDEL') AND e.time >= j.time AND e.time <= n.time";
    return "EXISTS (SELECT 1 FROM key_notification AS n WHERE n.key = j.key AND " + sameRedis("j.redis", "n.redis")
        + " AND n.db = coalesce(j.db, 0) AND " + lateKinds("n") + " AND n.time >= j.time AND n.time <= j.end_time + "
        + ms(BEFORE_MS) + " AND n.time > " + since + " AND (" + received + ") > (" + began + "))";
  }

  /** The kinds of late change that matter to the read {@code j}, of the notification {@code n}. */
  private static String lateKinds(String n) {
    return "CASE WHEN j.found THEN " + n + ".kind = 'write' WHEN NOT j.found THEN " + n + ".kind = 'delete' ELSE "
        + n + ".kind IN ('write', 'delete') END";
  }

  /**
   * The first notification of the span {@code e}'s kind and key received after it began, within
   * {@link NoticedChanges#AFTER_MS} after its end: its own change, for a span with no database, unless a later change's
   * came first.
   */
  static String firstOwn() {
    return "(SELECT min(o.time) FROM key_notification AS o WHERE o.key = e.key AND o.kind = e.access AND "
        + sameRedis("e.redis", "o.redis") + " AND o.time >= e.time AND o.time <= e.end_time + " + ms(AFTER_MS) + ")";
  }

  /**
   * Whether the notification {@code n} is the own change ({@link #ownOf}) of another stored span of the read
   * {@code j}'s key that ended before {@code j}'s writer began. Redis reports the changes in the order it made them, so
   * it came before the writer's own, even when the watcher received it after the writer began (truth suite seed 15: a
   * traced SET's set received 3 ms after it ended, after the MULTI that wrote the key next began, was taken for the
   * MULTI's, and the MULTI's own for a change outside the traced services). The writer's start is the read's column
   * {@code ws} ({@link NoticedChanges#WRITER}).
   */
  static String earlierOwn() {
    String began = "j.ws.began";
    return "coalesce(j.w_end IS NOT NULL AND EXISTS (SELECT 1 FROM key_event_rows AS p WHERE p.layer = 'redis' AND "
        + "p.key = n.key AND coalesce(p.db, n.db) = n.db AND p.access = n.kind AND p.status_code IS DISTINCT FROM "
        + "'ERROR' AND " + sameRedis("p.redis", "n.redis") + " AND p.span_id IS DISTINCT FROM j.w_span_id AND "
        + "p.end_time < " + began + " AND " + ownOf("p", "n") + "), false)";
  }
}
