package io.memtrace.collector.ingest;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which arguments of a command each instrumentation writes as they are before it hides or leaves out the rest,
 * as their sources keep it in tables (docs/redis-statements.md): redis-common's for Node, the Redis sanitizer's for
 * the OpenTelemetry Java agent. {@link StatementDialect} reads a statement's words against them.
 */
final class KeptArguments {

  private KeptArguments() {
  }

  /** redis-common's table, in its order: a command whose name starts with one of these keeps that many arguments. */
  private static final Object[][] NODE_KEPT = {
      {Pattern.compile("^ECHO", Pattern.CASE_INSENSITIVE), 0},
      {Pattern.compile("^(GETSET|LPUSH|MSET|PFA|PSETEX|PUBLISH|RPUSH|SADD|SET|SPUBLISH|XADD|ZADD)",
          Pattern.CASE_INSENSITIVE), 1},
      {Pattern.compile("^(HSET|HMSET|LSET|LINSERT)", Pattern.CASE_INSENSITIVE), 2},
      {Pattern.compile("^(ACL|CONFIG)", Pattern.CASE_INSENSITIVE), 1},
      {Pattern.compile("^(BIT|B[LRZ]|CLIENT|CLUSTER|COMMAND|DECR|DEL|EVAL|EX|FUNCTION|GEO|GET|HINCR|HMGET|HSCAN|INCR"
          + "|L[TRLM]|MEMORY|P[EFISTU]|RPOP|S[CDIMORSU]|XACK|X[CDGILPRT]|Z[CDILMPRS])", Pattern.CASE_INSENSITIVE), -1}};

  /** {@link #node}'s answers by the name as written: its table's expressions cost most of a Node span's reading. */
  private static final ConcurrentHashMap<String, Integer> NODE_KEPT_SEEN = new ConcurrentHashMap<>();

  private static final Set<String> JAVA_KEEP_ONE = Set.of("PFADD", "LPOS", "LPUSH", "LPUSHX", "LREM", "LSET", "RPUSH",
      "RPUSHX", "PUBLISH", "SADD", "SISMEMBER", "SMISMEMBER", "SREM", "ZADD", "ZCOUNT", "ZINCRBY", "ZLEXCOUNT",
      "ZMSCORE", "ZRANGEBYLEX", "ZRANGEBYSCORE", "ZRANK", "ZREM", "ZREMRANGEBYLEX", "ZREMRANGEBYSCORE",
      "ZREVRANGEBYLEX", "ZREVRANGEBYSCORE", "ZREVRANK", "ZSCORE", "APPEND", "GETSET", "SET", "SETNX", "SETRANGE",
      "ACL");
  private static final Set<String> JAVA_KEEP_TWO = Set.of("HSETNX", "RESTORE", "LINSERT", "SMOVE", "PSETEX", "SETEX",
      "HELLO", "CONFIG");
  /** Commands written as key-value pairs, by where the pairs start: MSET k1 ? k2 ?, HSET h f1 ? f2 ?. */
  private static final Map<String, Integer> JAVA_KEY_VALUE = Map.of("MSET", 0, "MSETNX", 0, "HSET", 1, "HMSET", 1,
      "XADD", 2);

  /** The arguments the Java sanitizer keeps before its ?s for a command's upper-case name, or -1 for another way. */
  static int java(String name) {
    return JAVA_KEEP_ONE.contains(name) ? 1 : JAVA_KEEP_TWO.contains(name) ? 2 : name.equals("MIGRATE") ? 6 : -1;
  }

  /** Where the Java sanitizer's key-value pairs start for a command's upper-case name; null when it writes none. */
  static Integer javaPairsFrom(String name) {
    return JAVA_KEY_VALUE.get(name);
  }

  /** The arguments redis-common keeps for a command's name: 0, 1, 2, or -1 for all. */
  static int node(String name) {
    Integer known = NODE_KEPT_SEEN.get(name);
    if (known != null) {
      return known;
    }
    int kept = 0;
    for (Object[] row : NODE_KEPT) {
      if (((Pattern) row[0]).matcher(name).find()) {
        kept = (Integer) row[1];
        break;
      }
    }
    // the names a fleet sends are few; a stream of made-up ones is matched each time rather than kept
    if (NODE_KEPT_SEEN.size() < 4096) {
      NODE_KEPT_SEEN.put(name, kept);
    }
    return kept;
  }
}
