package io.memtrace.agent.redis;

import io.memtrace.agent.redis.CommandSpec.Access;
import io.memtrace.agent.redis.CommandSpec.Found;
import io.memtrace.agent.redis.CommandSpec.Secret;
import io.memtrace.agent.redis.CommandSpec.Ttl;
import io.memtrace.agent.redis.CommandSpec.Written;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The commands memtrace understands. A command not listed still gets a span, but its arguments are
 * all shown as {@code ?} and no key is taken from it: unknown means private.
 */
final class RedisCommandTable {

  private static final Map<String, CommandSpec> SPECS = new HashMap<>();

  /** Option words kept in {@code db.query.text}; they describe the call, not the data. */
  static final Set<String> KEYWORDS = Set.of("EX", "PX", "EXAT", "PXAT", "NX", "XX", "KEEPTTL",
      "GET", "PERSIST", "WITHSCORES", "LIMIT", "COUNT", "MATCH", "TYPE", "BYSCORE", "BYLEX", "REV",
      "CH", "INCR", "GT", "LT", "BEFORE", "AFTER", "LEFT", "RIGHT", "MAXLEN", "MINID", "NOMKSTREAM",
      "REPLACE", "ABSTTL", "IDLETIME", "FREQ", "WITHVALUES", "STORE", "ASC", "DESC", "ALPHA", "BY",
      "FIELDS", "FNX", "FXX", "NOVALUES", "WEIGHTS", "AGGREGATE", "SUM", "MIN", "MAX");

  static {
    for (String c : new String[] {"GET", "GETDEL", "HGET", "HMGET", "HGETALL", "HKEYS", "HVALS",
        "LRANGE", "LINDEX", "LPOP", "RPOP", "SMEMBERS", "SRANDMEMBER", "SPOP", "ZRANGE",
        "ZRANGEBYSCORE", "ZREVRANGE", "ZREVRANGEBYSCORE", "ZSCORE", "ZMSCORE", "XRANGE",
        "XREVRANGE", "DUMP", "GETRANGE", "HRANDFIELD", "ZRANDMEMBER", "JSON.GET", "LPOS"}) {
      put(c, Access.READ, 1, 1, 1, Found.NIL, Ttl.NONE, Written.NONE);
    }
    put("GETEX", Access.READ, 1, 1, 1, Found.NIL, Ttl.SET_OPTIONS, Written.NONE);
    put("MGET", Access.READ, 1, -1, 1, Found.NIL, Ttl.NONE, Written.NONE);
    put("EXISTS", Access.READ, 1, -1, 1, Found.COUNT, Ttl.NONE, Written.NONE);
    for (String c : new String[] {"HEXISTS", "SISMEMBER"}) {
      put(c, Access.READ, 1, 1, 1, Found.COUNT, Ttl.NONE, Written.NONE);
    }
    for (String c : new String[] {"STRLEN", "HLEN", "LLEN", "SCARD", "ZCARD", "ZCOUNT", "XLEN",
        "TTL", "PTTL", "TYPE", "HSTRLEN", "ZRANK", "ZREVRANK", "PFCOUNT", "EXPIRETIME"}) {
      put(c, Access.OTHER, 1, 1, 1, Found.NONE, Ttl.NONE, Written.NONE);
    }
    put("SET", Access.WRITE, 1, 1, 1, Found.NONE, Ttl.SET_OPTIONS, Written.SET);
    put("SETEX", Access.WRITE, 1, 1, 1, Found.NONE, Ttl.ARG2_SECONDS, Written.ARG3);
    put("PSETEX", Access.WRITE, 1, 1, 1, Found.NONE, Ttl.ARG2_MILLIS, Written.ARG3);
    put("GETSET", Access.WRITE, 1, 1, 1, Found.NONE, Ttl.NONE, Written.ARG2);
    put("MSET", Access.WRITE, 1, -1, 2, Found.NONE, Ttl.NONE, Written.ALL_BUT_KEYS);
    put("MSETNX", Access.WRITE, 1, -1, 2, Found.NONE, Ttl.NONE, Written.ALL_BUT_KEYS);
    for (String c : new String[] {"SETNX", "APPEND", "HSET", "HSETNX", "HMSET", "LPUSH", "RPUSH",
        "LPUSHX", "RPUSHX", "LSET", "LINSERT", "SADD", "ZADD", "XADD", "PFADD", "SETRANGE",
        "INCRBY", "DECRBY", "INCRBYFLOAT", "HINCRBY", "HINCRBYFLOAT", "ZINCRBY", "GEOADD",
        "RESTORE", "JSON.SET"}) {
      put(c, Access.WRITE, 1, 1, 1, Found.NONE, Ttl.NONE, Written.ALL_BUT_KEYS);
    }
    for (String c : new String[] {"INCR", "DECR"}) {
      put(c, Access.WRITE, 1, 1, 1, Found.NONE, Ttl.NONE, Written.NONE);
    }
    for (String c : new String[] {"DEL", "UNLINK"}) {
      put(c, Access.DELETE, 1, -1, 1, Found.NONE, Ttl.NONE, Written.NONE);
    }
    for (String c : new String[] {"HDEL", "SREM", "ZREM", "LREM", "LTRIM", "XDEL", "XTRIM"}) {
      put(c, Access.DELETE, 1, 1, 1, Found.NONE, Ttl.NONE, Written.NONE);
    }
    put("EXPIRE", Access.OTHER, 1, 1, 1, Found.NONE, Ttl.ARG2_SECONDS, Written.NONE);
    put("PEXPIRE", Access.OTHER, 1, 1, 1, Found.NONE, Ttl.ARG2_MILLIS, Written.NONE);
    for (String c : new String[] {"EXPIREAT", "PEXPIREAT", "PERSIST", "TOUCH", "WATCH"}) {
      put(c, Access.OTHER, 1, c.equals("TOUCH") || c.equals("WATCH") ? -1 : 1, 1, Found.NONE,
          Ttl.NONE, Written.NONE);
    }
    for (String c : new String[] {"RENAME", "RENAMENX", "COPY", "SMOVE", "LMOVE", "RPOPLPUSH"}) {
      put(c, Access.WRITE, 1, 2, 1, Found.NONE, Ttl.NONE, Written.NONE);
    }
    put("PUBLISH", Access.WRITE, 1, 1, 1, Found.NONE, Ttl.NONE, Written.ALL_BUT_KEYS);
    for (String c : new String[] {"PING", "ECHO", "SELECT", "INFO", "DBSIZE", "FLUSHDB",
        "FLUSHALL", "MULTI", "EXEC", "DISCARD", "UNWATCH", "SCAN", "KEYS", "RANDOMKEY", "QUIT",
        "TIME", "LASTSAVE", "SAVE", "BGSAVE", "WAIT", "RESET", "SUBSCRIBE", "PSUBSCRIBE",
        "UNSUBSCRIBE", "PUNSUBSCRIBE"}) {
      put(c, Access.OTHER, 0, 0, 1, Found.NONE, Ttl.NONE, Written.NONE);
    }
    SPECS.put("OBJECT", new CommandSpec(Access.OTHER, 2, 2, 1, Found.NONE, Ttl.NONE, Written.NONE,
        Secret.NONE, true));
    SPECS.put("AUTH", new CommandSpec(Access.OTHER, 0, 0, 1, Found.NONE, Ttl.NONE, Written.NONE,
        Secret.ALL, false));
    SPECS.put("HELLO", new CommandSpec(Access.OTHER, 0, 0, 1, Found.NONE, Ttl.NONE, Written.NONE,
        Secret.AFTER_ARG1, false));
    for (String c : new String[] {"CONFIG", "ACL", "MIGRATE"}) {
      SPECS.put(c, new CommandSpec(Access.OTHER, 0, 0, 1, Found.NONE, Ttl.NONE, Written.NONE,
          Secret.AFTER_ARG1, true));
    }
    for (String c : new String[] {"CLIENT", "CLUSTER", "COMMAND", "MEMORY", "SCRIPT", "XINFO",
        "XGROUP", "FUNCTION", "LATENCY", "SLOWLOG", "MODULE"}) {
      SPECS.put(c, new CommandSpec(Access.OTHER, 0, 0, 1, Found.NONE, Ttl.NONE, Written.NONE,
          Secret.NONE, true));
    }
  }

  /**
   * Where each command's option words may start; elsewhere a word like {@code MAX} is data and
   * stays hidden. Commands not listed take no option words.
   */
  private static final Map<String, Integer> OPTIONS_FROM = new HashMap<>();

  static {
    for (String c : new String[] {"GETEX", "ZADD", "SCAN", "XADD", "XTRIM", "SORT", "LINSERT"}) {
      OPTIONS_FROM.put(c, 2);
    }
    for (String c : new String[] {"SET", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "LPOS",
        "COPY", "HRANDFIELD", "ZRANDMEMBER", "LMOVE"}) {
      OPTIONS_FROM.put(c, 3);
    }
    for (String c : new String[] {"ZRANGE", "ZRANGEBYSCORE", "ZREVRANGE", "ZREVRANGEBYSCORE", "RESTORE"}) {
      OPTIONS_FROM.put(c, 4);
    }
  }

  private RedisCommandTable() {
  }

  /** The first position where {@code name} takes option words, or {@link Integer#MAX_VALUE}. */
  static int optionsFrom(String name) {
    return OPTIONS_FROM.getOrDefault(name, Integer.MAX_VALUE);
  }

  private static void put(String name, Access access, int firstKey, int lastKey, int step,
      Found found, Ttl ttl, Written written) {
    SPECS.put(name, new CommandSpec(access, firstKey, lastKey, step, found, ttl, written,
        Secret.NONE, false));
  }

  static CommandSpec lookup(String name) {
    CommandSpec spec = SPECS.get(name);
    if (spec == null) {
      spec = SPECS.get(name.toUpperCase(Locale.ROOT));
    }
    return spec == null ? CommandSpec.UNKNOWN : spec;
  }
}
