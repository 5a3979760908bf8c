package io.memtrace.collector.ingest;

import static io.memtrace.collector.ingest.InstrumentationScopes.GO;
import static io.memtrace.collector.ingest.InstrumentationScopes.IOREDIS;
import static io.memtrace.collector.ingest.InstrumentationScopes.JEDIS;
import static io.memtrace.collector.ingest.InstrumentationScopes.LETTUCE;
import static io.memtrace.collector.ingest.InstrumentationScopes.NODE_REDIS;
import static io.memtrace.collector.ingest.InstrumentationScopes.PYTHON;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keys read back from a corpus of statements written the way each instrumentation writes them, each writer a small
 * re-implementation of the rules in docs/redis-statements.md (redis-common's serializer for ioredis and node-redis,
 * redis-py's instrumentation, the OpenTelemetry Java agent's sanitizer for Jedis and Lettuce, go-redis's redisotel),
 * over keys that try to break the reading: spaces, quotes, escape-like text, newlines, the instrumentations' own
 * marks, a 1 MB key, an empty one. Every key read, the span's {@code memory.key} and each key of the command, must be
 * the real one or unknown, never another string; and a plain key must be found wherever the statement shows it on its
 * own, so that a reader that gave up on everything fails too.
 */
class StatementCorpusTest {

  /** The keys each command is called with: plain ones first, then hostile ones. */
  private static final List<String> KEYS = List.of(
      "k", "user:42", "session:abc-123/x", "EX", "nx", "a...b", "tail...", "more\u2026", "?x", "\"dq\"", "'sq'",
      "back\\slash", "\\n", "\\x00", "caf\u00e9", "\u65e5\u672c:\u30ad\u30fc", "\ud83d\ude42", "nb\u00a0sp", "a;b",
      "a b", "a b c", "GET x", " lead", "trail ", "two  spaces", "say \"hi\" 'you'", "line\nbreak", "cr\rx",
      "tab\tx", "nul\u0000", "?", "a ?", "[2 other arguments]", "x [1 other arguments]", "x ...", "a ... b", "");

  private static final String ONE_MEGABYTE_KEY = "m:" + "x".repeat(1 << 20);

  /**
   * The commands, words separated by {@code |} (an EVAL script holds spaces); {@code {k}} is the corpus key and
   * {@code {k2}}, {@code {k3}} further plain keys. {@link #twoWays} marks the forms whose words, written out in full,
   * read as well as a command whose first key held a space and the next word: several keys ({@code DEL a b} is also
   * key {@code "a b"}), pairs or elements, a script's arguments after its keys, SET's single flag ({@code SET k v NX}
   * is also key {@code "k v"} with value {@code NX}). There a plain key may rightly be unknown, where the rest is
   * written out.
   */
  private static final List<Form> FORMS = List.of(
      one("GET|{k}"), one("SET|{k}|v"), one("SET|{k}|v|EX|3600"), one("SET|{k}|v|PX|1500"), twoWays("SET|{k}|v|NX"),
      one("SET|{k}|v|EX|60|NX"), twoWays("SET|{k}|v|KEEPTTL"), one("SETEX|{k}|60|v"), one("MSET|{k}|v"),
      twoWays("MSET|{k}|v|{k2}|v2"), twoWays("MSET|{k2}|v2|{k}|v"), one("MGET|{k}"), twoWays("MGET|{k}|{k2}"),
      one("DEL|{k}"), twoWays("DEL|{k}|{k2}|{k3}"), twoWays("DEL|{k2}|{k}"), one("HSET|{k}|f|v"),
      twoWays("HSET|{k}|f1|v1|f2|v2"), one("HGET|{k}|f"), one("LPUSH|{k}|a"), twoWays("LPUSH|{k}|a|b"),
      one("EXPIRE|{k}|60"), one("EXPIRE|{k}|60|NX"), one("INCR|{k}"), one("TTL|{k}"), one("ZADD|{k}|1|m"),
      twoWays("ZADD|{k}|1|m|2|n"), one("EXISTS|{k}"), twoWays("EXISTS|{k}|{k2}"),
      one("EVAL|return redis.call('GET', KEYS[1])|1|{k}"),
      twoWays("EVAL|return redis.call('SET', KEYS[1], ARGV[1])|1|{k}|v"),
      one("EVALSHA|e0e1f9fabfc9d4800c877a703b823ac0578ff8db|1|{k}"), one("PING"), one("INFO|memory"));

  /**
   * Keys holding a word that is just {@code ?}: the Java sanitizer writes {@code ?} for each value it hides, so
   * {@code SET "a ?" v} and {@code SET a v NX} are both {@code SET a ? ?}, as EVAL's key {@code "a ?"} is its key
   * {@code a} with one argument. Nothing in the text tells them apart; such misreads are counted on their own.
   */
  private static boolean holdsTheJavaMark(String key) {
    return List.of(key.split(" ", -1)).contains("?") && key.contains(" ");
  }

  @Test
  void shouldNeverMisreadAKeyInNodesStatements() {
    Tally tally = new Tally("node");
    for (String scope : List.of(IOREDIS, NODE_REDIS)) {
      run(tally, scope, StatementCorpusTest::node, command -> {
        Map<String, Object> span = span("db.system.name", "db.query.text", node(command).text());
        span.put("db.operation.name", command.get(0));
        return span;
      });
    }
    tally.assertClean();
  }

  @Test
  void shouldNeverMisreadAKeyInTheJavaAgentsStatements() {
    Tally tally = new Tally("java").indistinguishable(StatementCorpusTest::holdsTheJavaMark);
    // Jedis under the older conventions, Lettuce under the stable ones
    run(tally, JEDIS, StatementCorpusTest::java, command -> {
      Map<String, Object> span = span("db.system", "db.statement", java(command).text());
      span.put("db.operation", command.get(0).toUpperCase(Locale.ROOT));
      return span;
    });
    run(tally, LETTUCE, StatementCorpusTest::java, command -> {
      Map<String, Object> span = span("db.system.name", "db.query.text", java(command).text());
      span.put("db.operation.name", command.get(0).toUpperCase(Locale.ROOT));
      return span;
    });
    tally.assertClean();
  }

  @Test
  void shouldNeverMisreadAKeyInTheJavaAgentsBatches() {
    Tally tally = new Tally("java batch").indistinguishable(StatementCorpusTest::holdsTheJavaMark);
    for (String key : KEYS) {
      List<List<String>> batch = List.of(List.of("SET", key, "v"), List.of("GET", key));
      // Jedis (2.30+): one span, the commands joined with ';' (older conventions) or "; " (stable ones)
      Map<String, Object> old = span("db.system", "db.statement", join(batch, StatementCorpusTest::java, ";"));
      old.put("db.operation", "PIPELINE");
      // a key that holds ';' splits where the batch does: it may rightly be unknown
      boolean shown = plain(key) && !key.contains(";");
      tally.check(JEDIS, old, List.of(key), null, shown);
      Map<String, Object> stable = span("db.system.name", "db.query.text",
          join(batch, StatementCorpusTest::java, "; "));
      stable.put("db.operation.name", "PIPELINE");
      stable.put("db.operation.batch.size", 2L);
      tally.check(JEDIS, stable, List.of(key), null, shown);
    }
    tally.assertClean();
  }

  @Test
  void shouldNeverMisreadAKeyInGoRedisStatementsAndPipelines() {
    Tally tally = new Tally("go");
    run(tally, GO, StatementCorpusTest::go, command -> span("db.system", "db.statement", go(command).text()));
    for (String key : KEYS) {
      // a pipeline and a transaction: one span, one command a line
      boolean shown = plain(key) && go(List.of("get", key)).asIs()[1];
      List<List<String>> pipeline = List.of(List.of("set", key, "v", "ex", "10"), List.of("get", key));
      tally.check(GO, span("db.system", "db.statement", join(pipeline, StatementCorpusTest::go, "\n")), List.of(key),
          10L, shown);
      List<List<String>> transaction = List.of(List.of("multi"), List.of("set", key, "v"), List.of("exec"));
      tally.check(GO, span("db.system", "db.statement", join(transaction, StatementCorpusTest::go, "\n")),
          List.of(key), null, shown);
    }
    tally.assertClean();
  }

  @Test
  void shouldFindNoKeyInPythonsStatementsWhichHideThemAll() {
    Tally tally = new Tally("python");
    run(tally, PYTHON, StatementCorpusTest::python,
        command -> span("db.system", "db.statement", python(command).text()));
    for (String key : KEYS) {
      List<List<String>> pipeline = List.of(List.of("SET", key, "v", "EX", "10"), List.of("GET", key));
      tally.check(PYTHON, span("db.system", "db.statement", join(pipeline, StatementCorpusTest::python, "\n")),
          List.of(key), 10L, false);
    }
    assertThat(tally.found).as("redis-py hides every argument").isZero();
    tally.assertClean();
  }

  /** Every form, in upper and lower case, over every key, and GET and SET over the 1 MB key. */
  private static void run(Tally tally, String scope, Function<List<String>, Written> writer,
      Function<List<String>, Map<String, Object>> span) {
    for (Form form : FORMS) {
      for (String key : KEYS) {
        for (boolean lower : new boolean[] {false, true}) {
          List<String> command = form.command(key, lower);
          tally.check(scope, span.apply(command), form.keys(key), ttl(command), form.shows(key, writer.apply(command)));
        }
      }
    }
    for (Form form : List.of(one("GET|{k}"), one("SET|{k}|v"))) {
      List<String> command = form.command(ONE_MEGABYTE_KEY, true);
      tally.check(scope, span.apply(command), form.keys(ONE_MEGABYTE_KEY), null,
          form.shows(ONE_MEGABYTE_KEY, writer.apply(command)));
    }
  }

  /** A Redis span's attributes: {@code db.system(.name)=redis} and the statement under {@code attribute}. */
  private static Map<String, Object> span(String system, String attribute, String statement) {
    Map<String, Object> span = new LinkedHashMap<>();
    span.put(system, "redis");
    span.put(attribute, statement);
    return span;
  }

  /** The statements of several commands as {@code writer} writes each, joined with {@code separator}. */
  private static String join(List<List<String>> commands, Function<List<String>, Written> writer, String separator) {
    List<String> texts = new ArrayList<>();
    for (List<String> command : commands) {
      texts.add(writer.apply(command).text());
    }
    return String.join(separator, texts);
  }

  /** The TTL a command sets, in seconds: SET's EX or PX, SETEX's and EXPIRE's seconds; null for none. */
  private static Long ttl(List<String> command) {
    String name = command.get(0).toUpperCase(Locale.ROOT);
    if (name.equals("SETEX") || name.equals("EXPIRE")) {
      return Long.parseLong(command.get(2));
    }
    for (int i = 3; name.equals("SET") && i + 1 < command.size(); i++) {
      if (command.get(i).equalsIgnoreCase("EX") || command.get(i).equalsIgnoreCase("PX")) {
        return Long.parseLong(command.get(i + 1)) / (command.get(i).equalsIgnoreCase("PX") ? 1000 : 1);
      }
    }
    return null;
  }

  /** A key no instrumentation needs to hide or bend: no space, no control character, not the {@code ?} mark. */
  private static boolean plain(String key) {
    return !key.isEmpty() && !key.equals("?") && key.chars().noneMatch(c -> c == ' ' || Character.isISOControl(c));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The writers, one per instrumentation, from docs/redis-statements.md

  /** A statement, and which of the command's words it wrote as they are (the name is word 0). */
  private record Written(String text, boolean[] asIs) {
  }

  /** redis-common's table, in its order: a name starting with one of these keeps that many arguments (-1: all). */
  private static final List<Map.Entry<Pattern, Integer>> NODE_KEEPS = List.of(
      Map.entry(Pattern.compile("^ECHO", Pattern.CASE_INSENSITIVE), 0),
      Map.entry(Pattern.compile("^(GETSET|LPUSH|MSET|PFA|PSETEX|PUBLISH|RPUSH|SADD|SET|SPUBLISH|XADD|ZADD)",
          Pattern.CASE_INSENSITIVE), 1),
      Map.entry(Pattern.compile("^(HSET|HMSET|LSET|LINSERT)", Pattern.CASE_INSENSITIVE), 2),
      Map.entry(Pattern.compile("^(ACL|CONFIG)", Pattern.CASE_INSENSITIVE), 1),
      Map.entry(Pattern.compile("^(BIT|B[LRZ]|CLIENT|CLUSTER|COMMAND|DECR|DEL|EVAL|EX|FUNCTION|GEO|GET|HINCR|HMGET"
          + "|HSCAN|INCR|L[TRLM]|MEMORY|P[EFISTU]|RPOP|S[CDIMORSU]|XACK|X[CDGILPRT]|Z[CDILMPRS])",
          Pattern.CASE_INSENSITIVE), -1));

  /**
   * ioredis and node-redis: the name, the first N arguments by the table (none for a name it lacks), then
   * {@code [M other arguments]} for the rest; all joined with single spaces, nothing quoted; just the name when there
   * are no arguments.
   */
  private static Written node(List<String> command) {
    List<String> args = command.subList(1, command.size());
    int keep = NODE_KEEPS.stream().filter(row -> row.getKey().matcher(command.get(0)).find())
        .map(Map.Entry::getValue).findFirst().orElse(0);
    int kept = keep < 0 ? args.size() : Math.min(keep, args.size());
    List<String> words = new ArrayList<>(args.subList(0, kept));
    if (args.size() > kept) {
      words.add("[" + (args.size() - kept) + " other arguments]");
    }
    boolean[] asIs = new boolean[command.size()];
    for (int i = 0; i <= kept; i++) {
      asIs[i] = true;
    }
    return new Written(args.isEmpty() ? command.get(0) : command.get(0) + " " + String.join(" ", words), asIs);
  }

  /** redis-py's instrumentation: the name, then {@code ?} for each argument; past 1000 characters, 997 and "...". */
  private static Written python(List<String> command) {
    String text = command.get(0) + " ?".repeat(command.size() - 1);
    boolean[] asIs = new boolean[command.size()];
    asIs[0] = true;
    return new Written(text.length() > 1000 ? text.substring(0, 997) + "..." : text, asIs);
  }

  /** The sanitizer's tables (docs/redis-statements.md): the commands it keeps whole, and so on; any other, all ?. */
  private static final Set<String> JAVA_KEEP_ALL = Set.of("CLUSTER", "FAILOVER", "READONLY", "READWRITE", "CLIENT",
      "ECHO", "PING", "QUIT", "RESET", "SELECT", "GEOADD", "GEODIST", "GEOHASH", "GEOPOS", "GEORADIUS",
      "GEORADIUSBYMEMBER", "GEOSEARCH", "GEOSEARCHSTORE", "HDEL", "HEXISTS", "HGET", "HGETALL", "HINCRBY",
      "HINCRBYFLOAT", "HKEYS", "HLEN", "HMGET", "HRANDFIELD", "HSCAN", "HSTRLEN", "HVALS", "PFCOUNT", "PFMERGE", "COPY",
      "DEL", "DUMP", "EXISTS", "EXPIRE", "EXPIREAT", "EXPIRETIME", "KEYS", "MOVE", "OBJECT", "PERSIST", "PEXPIRE",
      "PEXPIREAT", "PEXPIRETIME", "PTTL", "RANDOMKEY", "RENAME", "RENAMENX", "SCAN", "SORT", "SORT_RO", "TOUCH", "TTL",
      "TYPE", "UNLINK", "WAIT", "BLMOVE", "BLMPOP", "BLPOP", "BRPOP", "BRPOPLPUSH", "LINDEX", "LLEN", "LMOVE", "LMPOP",
      "LPOP", "LRANGE", "LTRIM", "RPOP", "RPOPLPUSH", "INFO", "DBSIZE", "TIME", "SCARD", "SMEMBERS", "ZCARD", "ZRANGE",
      "BITCOUNT", "DECR", "DECRBY", "GET", "GETBIT", "GETDEL", "GETEX", "GETRANGE", "INCR", "INCRBY", "INCRBYFLOAT",
      "LCS", "MGET", "SETBIT", "STRLEN", "DISCARD", "EXEC", "MULTI", "UNWATCH", "WATCH");
  private static final Set<String> JAVA_KEEP_ONE = Set.of("PFADD", "LPOS", "LPUSH", "LPUSHX", "LREM", "LSET",
      "RPUSH", "RPUSHX", "PUBLISH", "SADD", "SISMEMBER", "SMISMEMBER", "SREM", "ZADD", "ZCOUNT", "ZINCRBY", "ZLEXCOUNT",
      "ZMSCORE", "ZRANGEBYLEX", "ZRANGEBYSCORE", "ZRANK", "ZREM", "ZSCORE", "APPEND", "GETSET", "SET", "SETNX",
      "SETRANGE", "ACL");
  private static final Set<String> JAVA_KEEP_TWO = Set.of("HELLO", "HSETNX", "RESTORE", "LINSERT", "SMOVE", "CONFIG",
      "PSETEX", "SETEX");
  /** Commands written as key-value pairs, by how many arguments come before the pairs. */
  private static final Map<String, Integer> JAVA_PAIRS_AFTER = Map.of("MSET", 0, "MSETNX", 0, "HSET", 1, "HMSET", 1,
      "XADD", 2);
  private static final Set<String> JAVA_EVAL = Set.of("EVAL", "EVAL_RO", "EVALSHA", "EVALSHA_RO");
  private static final int JAVA_LIMIT = 32 * 1024;

  /**
   * The Java agent's sanitizer (on, the default): by the upper-cased name, all arguments, the first one or two, the
   * pairs' keys, or EVAL's script, numkeys and keys; {@code ?} for each other argument (every one for a name it
   * lacks); the name as given, single spaces, nothing quoted; cut at 32 KiB with no mark.
   */
  private static Written java(List<String> command) {
    String upper = command.get(0).toUpperCase(Locale.ROOT);
    boolean[] asIs = new boolean[command.size()];
    asIs[0] = true;
    for (int i = 1; i < command.size(); i++) {
      int arg = i - 1;
      Integer pairsAfter = JAVA_PAIRS_AFTER.get(upper);
      if (JAVA_KEEP_ALL.contains(upper)) {
        asIs[i] = true;
      } else if (JAVA_KEEP_ONE.contains(upper) || JAVA_KEEP_TWO.contains(upper)) {
        asIs[i] = arg < (JAVA_KEEP_ONE.contains(upper) ? 1 : 2);
      } else if (pairsAfter != null) {
        asIs[i] = arg < pairsAfter || (arg - pairsAfter) % 2 == 0;
      } else if (JAVA_EVAL.contains(upper)) {
        int numKeys = command.size() > 3 && command.get(2).matches("\\d+") ? Integer.parseInt(command.get(2)) : 0;
        asIs[i] = arg < numKeys + 2;
      }
    }
    StringBuilder text = new StringBuilder(command.get(0));
    for (int i = 1; i < command.size(); i++) {
      text.append(' ').append(asIs[i] ? command.get(i) : "?");
      if (text.length() > JAVA_LIMIT) {
        text.setLength(JAVA_LIMIT);
        Arrays.fill(asIs, i, asIs.length, false);
        break;
      }
    }
    return new Written(text.toString(), asIs);
  }

  /**
   * go-redis's redisotel (v9.22): every word, the name included, joined with single spaces; one holding a byte outside
   * printable ASCII (0x20 to 0x7e) written as bare lower-case hex of its UTF-8 bytes.
   */
  private static Written go(List<String> command) {
    boolean[] asIs = new boolean[command.size()];
    List<String> words = new ArrayList<>();
    for (int i = 0; i < command.size(); i++) {
      byte[] bytes = command.get(i).getBytes(StandardCharsets.UTF_8);
      asIs[i] = true;
      for (byte b : bytes) {
        asIs[i] &= b >= 0x20 && b <= 0x7e;
      }
      words.add(asIs[i] ? command.get(i) : HexFormat.of().formatHex(bytes));
    }
    return new Written(String.join(" ", words), asIs);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The corpus's commands, and the tally

  private static Form one(String words) {
    return new Form(List.of(words.split("\\|")), false);
  }

  private static Form twoWays(String words) {
    return new Form(List.of(words.split("\\|")), true);
  }

  /** A command's words with {@code {k}}, {@code {k2}}, {@code {k3}} for its keys; see {@link #FORMS}. */
  private record Form(List<String> words, boolean twoWays) {

    /** The command as a client sends it with {@code key}, its name lower-cased or not. */
    List<String> command(String key, boolean lower) {
      List<String> command = new ArrayList<>();
      for (String word : words) {
        command.add(word.equals("{k}") ? key : word.startsWith("{k") ? word.substring(1, word.length() - 1) : word);
      }
      command.set(0, lower ? command.get(0).toLowerCase(Locale.ROOT) : command.get(0));
      return command;
    }

    /** The keys Redis takes from the command, in order. */
    List<String> keys(String key) {
      List<String> keys = new ArrayList<>();
      for (String word : words) {
        if (word.startsWith("{k")) {
          keys.add(word.equals("{k}") ? key : word.substring(1, word.length() - 1));
        }
      }
      return keys;
    }

    /**
     * Whether the statement shows {@code key} so that it must be found: plain, the command's first key, written as
     * it is, and not in a form that reads two ways with the rest written out.
     */
    boolean shows(String key, Written written) {
      int at = words.indexOf("{k}");
      if (!plain(key) || at < 0 || at != firstKeyAt() || !written.asIs()[at]) {
        return false;
      }
      boolean restAsIs = true;
      for (int i = at + 1; i < written.asIs().length; i++) {
        restAsIs &= written.asIs()[i];
      }
      return !(twoWays && restAsIs);
    }

    private int firstKeyAt() {
      for (int i = 0; i < words.size(); i++) {
        if (words.get(i).startsWith("{k")) {
          return i;
        }
      }
      return -1;
    }
  }

  /** What one dialect's statements gave, and every key misread or plain key missed, described. */
  private static final class Tally {
    private final String dialect;
    private Predicate<String> indistinguishable = key -> false;
    private int statements;
    private int found;
    private int unknown;
    private final List<String> misparsed = new ArrayList<>();
    private final List<String> markLike = new ArrayList<>();
    private final List<String> spans = new ArrayList<>();
    private final List<String> plainMissed = new ArrayList<>();

    Tally(String dialect) {
      this.dialect = dialect;
    }

    /** Counts misreads of keys {@code test} accepts apart: ones the instrumentation's text cannot tell. */
    Tally indistinguishable(Predicate<String> test) {
      indistinguishable = test;
      return this;
    }

    /**
     * Derives the span's facts as the collector does and checks them against {@code keys}, the real keys of the
     * command that names the first, and {@code ttl}, the TTL it sets (null for none): each key of the command, and
     * the span's {@code memory.key}, is the real one or unknown, and a {@code memory.ttl} read is the real one; with
     * {@code mustFind}, {@code memory.key} is found.
     */
    void check(String scope, Map<String, Object> attributes, List<String> keys, Long ttl, boolean mustFind) {
      statements++;
      String statement = describe((String) attributes.getOrDefault("db.query.text", attributes.get("db.statement")));
      StatementCommand command = SpanStatement.command(attributes, scope);
      List<String> read = command == null ? List.of() : command.keys();
      for (int i = 0; i < read.size(); i++) {
        String real = i < keys.size() ? keys.get(i) : null;
        if (read.get(i) == null) {
          unknown++;
        } else if (read.get(i).equals(real)) {
          found++;
        } else {
          (real != null && indistinguishable.test(real) ? markLike : misparsed)
              .add("key " + i + " " + describe(read.get(i)) + " for " + describe(real) + " in " + statement);
        }
      }
      if (read.isEmpty() && !keys.isEmpty()) {
        misparsed.add("no key read, none unknown, for " + describe(keys.get(0)) + " in " + statement);
      }
      Map<String, Object> span = new LinkedHashMap<>(attributes);
      StatementKeys.derive(span, scope);
      Object key = span.get("memory.key");
      String first = keys.isEmpty() ? null : keys.get(0);
      boolean keyUnknown = String.valueOf(span.get(StatementKeys.UNKNOWN)).contains("memory.key");
      if (key == null ? first != null && !keyUnknown : !key.equals(first) && !indistinguishable.test(first)) {
        spans.add("memory.key " + describe((String) key) + " (unknown: " + keyUnknown + ") for " + describe(first)
            + " in " + statement);
      }
      if (span.containsKey("memory.ttl") && !span.get("memory.ttl").equals(ttl)) {
        spans.add("memory.ttl " + span.get("memory.ttl") + " for " + ttl + " in " + statement);
      }
      if (mustFind && key == null) {
        plainMissed.add(describe(first) + " in " + statement);
      }
    }

    void assertClean() {
      System.out.printf("statement corpus, %s: %d statements, %d keys found, %d unknown, %d misparsed%s%n", dialect,
          statements, found, unknown, misparsed.size(),
          markLike.isEmpty() ? "" : " (" + markLike.size() + " more of keys holding a ? word, which no text can tell)");
      assertThat(misparsed).as("keys read that are not the real key").isEmpty();
      assertThat(spans).as("memory.key neither the real key nor unknown, or memory.ttl not the real TTL").isEmpty();
      assertThat(plainMissed).as("plain keys the statement shows, not found").isEmpty();
      assertThat(statements).isPositive();
    }
  }

  /** A statement or key for a message: control characters escaped, cut to 80 characters. */
  private static String describe(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length() && i < 80; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append(text.length() > 80 ? "\"... (" + text.length() + " chars)" : "\"").toString();
  }
}
