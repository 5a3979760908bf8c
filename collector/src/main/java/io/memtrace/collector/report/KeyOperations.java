package io.memtrace.collector.report;

import io.memtrace.collector.store.MemoryConventions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a span did to a key, from its memory operation (memory-manager spans, under either naming
 * convention: {@link MemoryConventions}) or {@code db.operation.name} (Redis spans). The same rules
 * serve the in-memory time series and, as a SQL {@code CASE}, the report.
 */
public final class KeyOperations {

  /** The kinds of key access the analytics count. */
  public enum Kind { READ, WRITE, DELETE, EXPIRE, OTHER }

  static final Set<String> READS = Set.of("RETRIEVE", "GET", "MGET", "GETEX", "GETDEL", "HGET", "HMGET", "HGETALL",
      "HEXISTS", "HKEYS", "HVALS", "HLEN", "EXISTS", "LRANGE", "LINDEX", "LLEN", "SMEMBERS", "SISMEMBER", "SCARD",
      "SRANDMEMBER", "ZRANGE", "ZRANGEBYSCORE", "ZREVRANGE", "ZSCORE", "ZCARD", "ZRANK", "XRANGE", "XREVRANGE",
      "XREAD", "XLEN", "STRLEN", "GETRANGE", "TTL", "PTTL");
  static final Set<String> WRITES = Set.of("STORE", "SET", "SETEX", "PSETEX", "SETNX", "MSET", "MSETNX", "APPEND",
      "SETRANGE", "INCR", "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY", "GETSET", "HSET", "HMSET", "HSETNX", "HINCRBY",
      "HINCRBYFLOAT", "HDEL", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LSET", "LINSERT", "LPOP", "RPOP", "LREM",
      "LTRIM", "SADD", "SREM", "SPOP", "ZADD", "ZINCRBY", "ZREM", "XADD", "XDEL", "XTRIM", "RESTORE", "COPY");
  static final Set<String> DELETES = Set.of("DELETE", "DEL", "UNLINK");
  static final Set<String> EXPIRES = Set.of("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST");

  private KeyOperations() {
  }

  /** The operation name of a span, upper case; null when it has none. */
  public static String operation(Map<String, Object> attributes) {
    Object op = MemoryConventions.operation(attributes::get);
    if (op == null) {
      op = attributes.get("db.operation.name");
    }
    return op == null ? null : op.toString().toUpperCase(Locale.ROOT);
  }

  public static Kind kind(String operation) {
    if (operation == null) {
      return Kind.OTHER;
    }
    if (READS.contains(operation)) {
      return Kind.READ;
    }
    if (WRITES.contains(operation)) {
      return Kind.WRITE;
    }
    if (DELETES.contains(operation)) {
      return Kind.DELETE;
    }
    return EXPIRES.contains(operation) ? Kind.EXPIRE : Kind.OTHER;
  }

  /** The same classification in SQL over an upper-case operation expression. */
  public static String sqlCase(String operationExpression) {
    return "CASE WHEN " + operationExpression + " IN (" + list(READS) + ") THEN 'read' WHEN " + operationExpression
        + " IN (" + list(WRITES) + ") THEN 'write' WHEN " + operationExpression + " IN (" + list(DELETES)
        + ") THEN 'delete' WHEN " + operationExpression + " IN (" + list(EXPIRES) + ") THEN 'expire' ELSE 'other' END";
  }

  /**
   * Whether an upper-case operation expression is of {@code kind}: {@link #sqlCase}{@code = 'kind'} for a read, write
   * or delete (the kinds' names are disjoint, so the first match of the case is the only one), with one list to analyse
   * instead of the case's four. NULL where the operation is NULL, which a filter or an {@code -If} takes as false.
   */
  public static String sqlIs(Kind kind, String operationExpression) {
    Set<String> names = switch (kind) {
      case READ -> READS;
      case WRITE -> WRITES;
      case DELETE -> DELETES;
      case EXPIRE -> EXPIRES;
      case OTHER -> throw new IllegalArgumentException("other is every operation of no kind");
    };
    return operationExpression + " IN (" + list(names) + ")";
  }

  private static String list(Set<String> names) {
    return names.stream().sorted().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }
}
