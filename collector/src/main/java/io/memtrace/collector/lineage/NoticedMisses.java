package io.memtrace.collector.lineage;

/**
 * The reads that found nothing after a write, each with {@code miss} as the keyspace notifications recorded it: the
 * last notification of the read's key after the write and before the read (an expiry or eviction up to
 * {@link io.memtrace.collector.timeline.NotificationCauses#AFTER_US} after it, since Redis expires a key lazily when the
 * read touches it; any other change from that long after the write, so that the write's own notifications are not
 * taken for another's) makes {@code unknown} or {@code expired} into {@code expired}, {@code evicted} or, for a write,
 * delete or TTL change nobody traced, {@code unknown}. The rule of a record's timeline ({@code MissReasons}), over the
 * misses alone: the lineage rows are joined to the notifications once filtered, so a report over every read pays for
 * its misses only. A Redis read's key is matched on its Redis (a loopback host named one way), database and key; a
 * memory read's on its namespace and a key that is its key or ends with it after a separator.
 */
public final class NoticedMisses {

  /** A Redis address with a loopback host written {@code localhost}, lower case, as {@code RedisAddress#normal}. */
  static String address(String column) {
    return "regexp_replace(lower(" + column + "), '^(127\\.0\\.0\\.1|\\[::1\\]|::1|0:0:0:0:0:0:0:1):', 'localhost:')";
  }

  /**
   * Which notification names the miss: the last before the read when it removed the key (an expiry, an eviction, a
   * delete), else the first expiry or eviction while or just after the read ran (the read's own touch expiring it),
   * else the last before the read.
   */
  private static final String PICK = "CASE WHEN arg_max(kind, time) FILTER (WHERE time <= read_time) IN ('expiry', "
      + "'eviction', 'delete') THEN arg_max(kind, time) FILTER (WHERE time <= read_time) ELSE coalesce(arg_min(kind, "
      + "time) FILTER (WHERE time > read_time), arg_max(kind, time) FILTER (WHERE time <= read_time)) END";

  private NoticedMisses() {
  }

  /**
   * A relation with the columns of {@code relation} (the {@code lineage} view's, or a relation of its rows) for the
   * rows {@code where} selects, which are misses ({@code found = false}), {@code miss} as the notifications have it.
   */
  public static String of(String relation, String where) {
    String after = "n.time <= m.read_time + INTERVAL 1 SECOND AND (n.time > m.write_time AND n.kind IN ('expiry', "
        + "'eviction') OR n.time > m.write_time + INTERVAL 1 SECOND AND n.time < m.read_time)";
    String asked = "m.miss IN ('unknown', 'expired') AND " + after;
    String redis = "SELECT m.mid, m.read_time, n.time, n.kind FROM m JOIN key_notification AS n ON n.key = m.key "
        + "AND n.db = coalesce(m.db, 0) AND " + address("n.redis") + " = " + address("m.redis")
        + " WHERE m.read_layer = 'redis' AND " + asked;
    String memory = "SELECT m.mid, m.read_time, n.time, n.kind FROM m JOIN key_notification AS n ON n.namespace = m.namespace "
        + "AND " + KeyEventStore.keyTail("n.key") + " = " + KeyEventStore.keyTail("m.key")
        + " WHERE m.read_layer = 'memory' AND (n.key = m.key OR suffix(n.key, m.key) AND NOT regexp_matches("
        + "substr(n.key, length(n.key) - length(m.key), 1), '[A-Za-z0-9]')) AND " + asked;
    return "(WITH m AS MATERIALIZED (SELECT row_number() OVER () AS mid, * FROM " + relation + " WHERE " + where + "), "
        + "noticed AS (SELECT mid, " + PICK + " AS kind FROM (" + redis + " UNION ALL " + memory + ") GROUP BY mid) "
        + "SELECT m.* EXCLUDE (mid) REPLACE (CASE WHEN noticed.kind IS NULL THEN m.miss WHEN noticed.kind = 'expiry' "
        + "THEN 'expired' WHEN noticed.kind = 'eviction' THEN 'evicted' ELSE 'unknown' END AS miss) "
        + "FROM m LEFT JOIN noticed USING (mid)) AS noticed_misses";
  }
}
