package io.memtrace.collector.clickhouse.reader;

/**
 * The report's misses after a write with {@code miss} as the keyspace notifications recorded it, the rule of the
 * embedded store's {@code NoticedMisses}: the last notification of the read's key after the write and before the read
 * (an expiry or eviction up to a second after it; any other change from a second after the write; the last before
 * the read when it removed the key, else the first after it, as the embedded store picks) makes
 * {@code unknown} or {@code expired} into {@code expired}, {@code evicted} or {@code unknown}. A Redis read's key is
 * matched by its place (a loopback host named one way), a memory read's by its namespace and a key that is its key or
 * ends with it after a separator, found by the key's last run of letters and digits.
 */
final class NoticedMissRows {

  /** A loopback host before the port, as a regular expression (one home: {@code RedisAddress#normal}'s hosts). */
  private static final String LOOPBACK = "(127\\.0\\.0\\.1|\\[::1\\]|::1|0:0:0:0:0:0:0:1):";
  private static final String TAIL = "'[A-Za-z0-9]*$'";

  private NoticedMissRows() {
  }

  /** A regular expression as a ClickHouse string literal: its backslashes escaped. */
  private static String literal(String regex) {
    return "'" + regex.replace("\\", "\\\\") + "'";
  }

  /**
   * {@code misses} (a subquery of misses with {@code read_layer, place, key, namespace, read_time_us,
   * write_time_us, miss, read_trace_id, read_span_id}) with {@code miss} as the notifications have it.
   */
  static String of(String misses) {
    String notes = "(SELECT concat('r|', replaceRegexpOne(lower(Store), " + literal("^" + LOOPBACK)
        + ", 'localhost:'), '|', toString(Db), '|', Key) AS nkey, Key AS nk, toUnixTimestamp64Micro(Timestamp) AS t, "
        + "toString(Kind) AS kind FROM memtrace_key_notifications UNION ALL SELECT concat('m|', toString(Namespace), '|', extract(Key, " + TAIL
        + ")), Key, toUnixTimestamp64Micro(Timestamp), toString(Kind) FROM memtrace_key_notifications)";
    String nkey = "if(m.read_layer = 'redis', replaceRegexpOne(m.place, " + literal("^r\\|" + LOOPBACK)
        + ", 'r|localhost:'), concat('m|', coalesce(m.namespace, ''), '|', extract(m.key, " + TAIL + ")))";
    String window = "n.t <= m.read_time_us + 1000000 AND (n.t > m.write_time_us AND n.kind IN ('expiry', 'eviction') "
        + "OR n.t > m.write_time_us + 1000000 AND n.t < m.read_time_us)";
    String ofKey = "(m.read_layer = 'redis' OR n.nk = m.key OR endsWith(n.nk, m.key) AND NOT match(substring(n.nk, "
        + "length(n.nk) - length(m.key), 1), '[A-Za-z0-9]'))";
    String before = "argMaxIf(n.kind, n.t, n.t <= m.read_time_us)";
    String pick = "if(" + before + " IN ('expiry', 'eviction', 'delete'), " + before + ", if(countIf(n.t > "
        + "m.read_time_us) > 0, argMinIf(n.kind, n.t, n.t > m.read_time_us), " + before + "))";
    String noticed = "(SELECT m.read_trace_id AS rt, m.read_span_id AS rs, " + pick + " AS kind FROM "
        + misses + " AS m INNER JOIN " + notes + " AS n ON n.nkey = " + nkey + " WHERE m.miss IN ('unknown', "
        + "'expired') AND " + window + " AND " + ofKey + " GROUP BY rt, rs)";
    return "(SELECT m.* REPLACE (multiIf(coalesce(nt.kind, '') = '', m.miss, nt.kind = 'expiry', 'expired', "
        + "nt.kind = 'eviction', 'evicted', 'unknown') AS miss) FROM " + misses + " AS m LEFT JOIN " + noticed
        + " AS nt ON nt.rt = m.read_trace_id AND nt.rs = m.read_span_id)";
  }
}
