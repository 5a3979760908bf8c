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
  NODE(false, true, false, false, 0) {
    @Override
    boolean trusted(StatementCommand command) {
      int kept = nodeKept(command.word(0));
      int plain = command.wordsBeforeOthers() - 1;
      if (kept < 0) {
        // every argument kept: a mark is a key's own text
        return !command.hasOthers();
      }
      // one mark, ending the statement: another, or words after it, are a key's own text
      return command.hasOthers() ? command.othersOnceAtEnd() && plain == kept : plain <= kept;
    }

    @Override
    boolean counted(StatementCommand command) {
      // exactly the N it keeps before the mark: had one held a space, there would be more
      return nodeKept(command.word(0)) >= 0 && command.hasOthers();
    }
  },
  /**
   * The OpenTelemetry Java agent's Jedis and Lettuce instrumentations, through its Redis sanitizer (on by default):
   * the first N arguments, then {@code ?} for each of the rest, or for {@code MSET}-like commands the keys with a
   * {@code ?} after each. So a word that is not {@code ?} past the N, or out of the key-value rhythm, shows a key
   * that held a space (or a sanitizer switched off, whose values then stand where keys are sought). Since 2.27 the
   * text is cut at 32 KiB with no mark; a newline is an argument's own (batches are joined with {@code ;}).
   */
  JAVA(true, false, false, false, 32 * 1024) {
    @Override
    boolean trusted(StatementCommand command) {
      String name = command.word(0).toUpperCase(Locale.ROOT);
      List<byte[]> args = command.args();
      int kept = javaKept(name);
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
        return true;
      }
      // any other keeps every argument or hides every one; EVAL keeps its script, numkeys and keys, then hides the
      // rest: a ? among kept words, or a word after a ?, is a key's own text
      boolean hidden = false;
      boolean shown = false;
      for (int i = 1; i < args.size(); i++) {
        if (command.hidden(i)) {
          hidden = true;
        } else if (hidden) {
          return false;
        } else {
          shown = true;
        }
      }
      return name.startsWith("EVAL") || !(hidden && shown);
    }

    @Override
    boolean counted(StatementCommand command) {
      // the N it keeps, then a ?: had one held a space, a word would stand where the first ? does; and the pairs'
      // rhythm, kept, shows the same
      String name = command.word(0).toUpperCase(Locale.ROOT);
      int kept = javaKept(name);
      return (kept > 0 && command.args().size() > kept + 1 && command.hidden(kept + 1))
          || JAVA_KEY_VALUE.containsKey(name);
    }
  },
  /**
   * go-redis's redisotel hook: every argument, but one holding a byte outside printable ASCII is written as bare hex
   * (before v9.18, one holding a space too), and before v9.8 each was cut to 64 bytes with no mark. A word that
   * could be hex, or is exactly 64 bytes long, may not be the key it reads as. A pipeline is one command a line (a
   * newline inside an argument is written as hex).
   */
  GO(false, false, false, true, 0) {
    @Override
    boolean trusted(StatementCommand command) {
      for (int i = command.firstArgument(); i < command.args().size(); i++) {
        if (command.isKey(i) && !command.hidden(i)) {
          byte[] word = command.args().get(i);
          if (word.length == 64 || (word.length % 2 == 0 && hex(word))) {
            return false;
          }
        }
      }
      return true;
    }
  },
  /**
   * Any other instrumentation (Python's hides every argument anyway, and cuts a long statement with {@code ...}):
   * every mark is read as one, a pipeline is one command a line, and only the command's own form is checked.
   */
  OTHER(true, true, true, true, 0) {
    @Override
    boolean trusted(StatementCommand command) {
      return true;
    }
  };

  /** Whether {@code word} is lower-case hex digits, as go-redis writes an argument with a byte outside printable ASCII. */
  private static boolean hex(byte[] word) {
    for (byte b : word) {
      if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
        return false;
      }
    }
    return word.length > 0;
  }

  private final boolean marksHidden;
  private final boolean marksOthers;
  private final boolean marksCuts;
  private final boolean splitsLines;
  private final int cutsAt;

  StatementDialect(boolean marksHidden, boolean marksOthers, boolean marksCuts, boolean splitsLines, int cutsAt) {
    this.marksHidden = marksHidden;
    this.marksOthers = marksOthers;
    this.marksCuts = marksCuts;
    this.splitsLines = splitsLines;
    this.cutsAt = cutsAt;
  }

  /** Whether it writes {@code ?} for an argument it hid (the sanitizers'); elsewhere {@code ?} is a key's own. */
  boolean marksHidden() {
    return marksHidden;
  }

  /** Whether the instrumentation writes {@code [N other arguments]} for arguments it left out (Node's). */
  boolean marksOthers() {
    return marksOthers;
  }

  /** Whether it ends a statement it cut with {@code ...} or {@code …} (Python's); elsewhere those are a key's own. */
  boolean marksCuts() {
    return marksCuts;
  }

  /** Whether it writes a pipeline one command a line; elsewhere a newline is an argument's own. */
  boolean splitsLines() {
    return splitsLines;
  }

  /** The length it cuts a statement at with no mark, or 0. */
  int cutsAt() {
    return cutsAt;
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

  private static final Set<String> JAVA_KEEP_ONE = Set.of("PFADD", "LPOS", "LPUSH", "LPUSHX", "LREM", "LSET", "RPUSH",
      "RPUSHX", "PUBLISH", "SADD", "SISMEMBER", "SMISMEMBER", "SREM", "ZADD", "ZCOUNT", "ZINCRBY", "ZLEXCOUNT",
      "ZMSCORE", "ZRANGEBYLEX", "ZRANGEBYSCORE", "ZRANK", "ZREM", "ZREMRANGEBYLEX", "ZREMRANGEBYSCORE",
      "ZREVRANGEBYLEX", "ZREVRANGEBYSCORE", "ZREVRANK", "ZSCORE", "APPEND", "GETSET", "SET", "SETNX", "SETRANGE",
      "ACL");
  private static final Set<String> JAVA_KEEP_TWO = Set.of("HSETNX", "RESTORE", "LINSERT", "SMOVE", "PSETEX", "SETEX",
      "HELLO", "CONFIG");
  /** Commands written as key-value pairs, by where the pairs start: MSET k1 ? k2 ?, HSET h f1 ? f2 ?. */
  private static final java.util.Map<String, Integer> JAVA_KEY_VALUE = java.util.Map.of("MSET", 0, "MSETNX", 0,
      "HSET", 1, "HMSET", 1, "XADD", 2);

  /** Whether the words can be read as they stand, as far as this instrumentation's way of writing shows. */
  abstract boolean trusted(StatementCommand command);

  /**
   * Whether, trusted, the words are whole arguments each, as this instrumentation's way of writing shows (it counted
   * them): then no two neighbouring words need be tried as one argument that held a space.
   */
  boolean counted(StatementCommand command) {
    return false;
  }

  /** The arguments the Java sanitizer keeps before its ?s for a command's upper-case name, or -1 for another way. */
  static int javaKept(String name) {
    return JAVA_KEEP_ONE.contains(name) ? 1 : JAVA_KEEP_TWO.contains(name) ? 2 : name.equals("MIGRATE") ? 6 : -1;
  }

  /** The arguments redis-common keeps for a command's name: 0, 1, 2, or -1 for all. */
  static int nodeKept(String name) {
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

  /** {@link #nodeKept}'s answers by the name as written: its table's expressions cost most of a Node span's reading. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Integer> NODE_KEPT_SEEN =
      new java.util.concurrent.ConcurrentHashMap<>();

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
