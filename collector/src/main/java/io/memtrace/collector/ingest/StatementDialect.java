package io.memtrace.collector.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How an instrumentation writes its Redis statements, known from its instrumentation scope, and so which words of a
 * statement can be trusted as they stand (docs/redis-statements.md has each one, read from its source). None quotes
 * an argument, so a key that holds a space is two words; each check below finds the statements where that, or a
 * statement split in the wrong place, has happened, and then every key of the command is unknown rather than wrong.
 */
enum StatementDialect {

  /**
   * Node's ioredis and node-redis (through {@code @opentelemetry/redis-common}): the first N arguments as they are,
   * N by the command's name, then {@code [M other arguments]} when some were left out. So the words between the name
   * and that mark are exactly N, and with no mark there are no more than N (unless every argument is kept).
   */
  NODE {
    @Override
    boolean trusted(StatementCommand command) {
      int kept = nodeKept(command.word(0));
      int plain = command.wordsBeforeOthers() - 1;
      if (kept < 0) {
        return true;
      }
      return command.hasOthers() ? plain == kept : plain <= kept;
    }
  },
  /**
   * The OpenTelemetry Java agent's Jedis and Lettuce instrumentations, through its Redis sanitizer (on by default):
   * the first N arguments, then {@code ?} for each of the rest, or for {@code MSET}-like commands the keys with a
   * {@code ?} after each. So a word that is not {@code ?} past the N, or out of the key-value rhythm, shows a key
   * that held a space (or a sanitizer switched off, whose values then stand where keys are sought).
   */
  JAVA {
    @Override
    boolean trusted(StatementCommand command) {
      String name = command.word(0).toUpperCase(Locale.ROOT);
      List<byte[]> args = command.args();
      int kept = JAVA_KEEP_ONE.contains(name) ? 1 : JAVA_KEEP_TWO.contains(name) ? 2 : -1;
      if (kept > 0) {
        for (int i = kept + 1; i < args.size(); i++) {
          if (!command.hidden(i)) {
            return false;
          }
        }
        return true;
      }
      Integer pairsFrom = JAVA_KEY_VALUE.get(name);
      if (pairsFrom != null) {
        // MSET k1 ? k2 ?: after the first words, a key then a hidden value, over and over
        for (int i = pairsFrom + 1; i < args.size(); i++) {
          if (command.hidden(i) != ((i - pairsFrom) % 2 == 0)) {
            return false;
          }
        }
      }
      return true;
    }
  },
  /**
   * go-redis's redisotel hook: every argument, but one holding a byte outside printable ASCII is written as bare hex
   * (before v9.18, one holding a space too), and before v9.8 each was cut to 64 bytes with no mark. A word that
   * could be hex, or is exactly 64 bytes long, may not be the key it reads as.
   */
  GO {
    @Override
    boolean trusted(StatementCommand command) {
      for (int i = command.firstArgument(); i < command.args().size(); i++) {
        if (command.isKey(i) && !command.hidden(i)) {
          byte[] word = command.args().get(i);
          if (word.length == 64 || (word.length % 2 == 0 && HEX.matcher(new String(word,
              java.nio.charset.StandardCharsets.US_ASCII)).matches())) {
            return false;
          }
        }
      }
      return true;
    }
  },
  /** Any other instrumentation (Python's hides every argument anyway): only Redis's arity is checked. */
  OTHER {
    @Override
    boolean trusted(StatementCommand command) {
      return true;
    }
  };

  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

  /** redis-common's table, in its order: a command whose name starts with one of these keeps that many arguments. */
  private static final Object[][] NODE_KEPT = {
      {Pattern.compile("^ECHO", Pattern.CASE_INSENSITIVE), 0},
      {Pattern.compile("^(GETSET|LPUSH|MSET|PFA|PSETEX|PUBLISH|RPUSH|SADD|SET|SPUBLISH|XADD|ZADD)",
          Pattern.CASE_INSENSITIVE), 1},
      {Pattern.compile("^(HSET|HMSET|LSET|LINSERT)", Pattern.CASE_INSENSITIVE), 2},
      {Pattern.compile("^(ACL|CONFIG)", Pattern.CASE_INSENSITIVE), 1},
      {Pattern.compile("^(BIT|B[LRZ]|CLIENT|CLUSTER|COMMAND|DECR|DEL|EVAL|EX|FUNCTION|GEO|GET|HINCR|HMGET|HSCAN|INCR"
          + "|L[TRLM]|MEMORY|P[EFISTU]|RPOP|S[CDIMORSU]|XACK|X[CDGILPRT]|Z[CDILMPRS])", Pattern.CASE_INSENSITIVE), -1}};

  private static final Set<String> JAVA_KEEP_ONE = Set.of("PFADD", "LPOS", "LPUSH", "LPUSHX", "LREM", "LSET", "RPUSH",
      "RPUSHX", "PUBLISH", "SADD", "SISMEMBER", "SMISMEMBER", "SREM", "ZADD", "ZCOUNT", "ZINCRBY", "ZLEXCOUNT",
      "ZMSCORE", "ZRANGEBYLEX", "ZRANGEBYSCORE", "ZRANK", "ZREM", "ZREMRANGEBYLEX", "ZREMRANGEBYSCORE",
      "ZREVRANGEBYLEX", "ZREVRANGEBYSCORE", "ZREVRANK", "ZSCORE", "APPEND", "GETSET", "SET", "SETNX", "SETRANGE");
  private static final Set<String> JAVA_KEEP_TWO = Set.of("HSETNX", "RESTORE", "LINSERT", "SMOVE", "PSETEX", "SETEX");
  /** Commands written as key-value pairs, by where the pairs start: MSET k1 ? k2 ?, HSET h f1 ? f2 ?. */
  private static final java.util.Map<String, Integer> JAVA_KEY_VALUE = java.util.Map.of("MSET", 0, "MSETNX", 0,
      "HSET", 1, "HMSET", 1);

  /** Whether the words can be read as they stand, as far as this instrumentation's way of writing shows. */
  abstract boolean trusted(StatementCommand command);

  /** The arguments redis-common keeps for a command's name: 0, 1, 2, or -1 for all. */
  static int nodeKept(String name) {
    for (Object[] row : NODE_KEPT) {
      if (((Pattern) row[0]).matcher(name).find()) {
        return (Integer) row[1];
      }
    }
    return 0;
  }

  /** The dialect of an instrumentation scope's name. */
  static StatementDialect of(String scope) {
    if (scope == null) {
      return OTHER;
    }
    if (scope.startsWith("@opentelemetry/instrumentation-ioredis") || scope.startsWith("@opentelemetry/instrumentation-redis")) {
      return NODE;
    }
    if (scope.startsWith("io.opentelemetry.jedis") || scope.startsWith("io.opentelemetry.lettuce")) {
      return JAVA;
    }
    return scope.contains("go-redis/extra/redisotel") ? GO : OTHER;
  }
}
