package io.memtrace.collector.ingest;

import static io.memtrace.collector.ingest.StatementWords.HIDDEN;

import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.KeySpec;
import io.memtrace.common.redis.ParsedCommand;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One Redis command read back from the statement text another instrumentation put on its span ({@code db.query.text}
 * or {@code db.statement}), such as {@code set aqe/test-plans:plan-1 [3 other arguments]} (Node), {@code SET k ?}
 * (the OpenTelemetry Java agent) or {@code set k v ex 10} (go-redis): the words, with each argument the
 * instrumentation hid kept as an unknown one, so that the command table's key specs ({@link CommandSpec#markKeys})
 * count positions as Redis does and a key hidden at its position is known to be unknown, never taken from a
 * neighbour.
 *
 * <p>What counts as hidden: a {@code ?} (the sanitizers' mark), the arguments an {@code [N other arguments]} stands for
 * (Node's), and a word cut by a truncated statement (text ending in {@code ...} or {@code …}, or the Java agent's cut
 * at its limit); each mark only where the instrumentation ({@link StatementDialect}) writes it, else it is the key's
 * own text ({@link StatementWords} splits the text so). Words are separated by single spaces and taken as they are: no instrumentation quotes or escapes an
 * argument (docs/redis-statements.md), so a quote, a tab or a newline is part of its word. A key that holds a space is
 * therefore two words, and one that begins or ends with a space, or is empty, leaves two spaces in a row. Every key is
 * unknown rather than a wrong one where the words could be read another way: more words than Redis's arity allows,
 * a space out of place, or two neighbouring words that could be one argument with the command still fitting.
 */
public final class StatementCommand implements ParsedCommand {

  /** The most pairs of neighbouring words tried as one argument: past them, the words are not read at all. */
  static final int MAX_REGROUPINGS = 256;
  /** Commands whose first argument is a script, free text that is many words: EVAL's Lua. */
  private static final Set<String> SCRIPTED = Set.of("EVAL", "EVAL_RO");
  /**
   * Commands after whose required arguments (Redis's arity) only their option words may start, each with its own
   * values: {@code SET k v EX 10}, {@code EXPIRE k 10 NX}. There a word that is no option word shows that a key or
   * value before it held a space. (The table's option position alone does not say so: BITCOUNT's optional range
   * comes before its option words.)
   */
  private static final Set<String> OPTIONS_AFTER_ARITY = Set.of("SET", "GETEX", "EXPIRE", "PEXPIRE", "EXPIREAT",
      "PEXPIREAT", "COPY", "LPOS", "LCS", "RESTORE", "SORT", "SORT_RO", "HSCAN", "SSCAN", "ZSCAN", "ZRANGE",
      "ZRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGE", "ZREVRANGEBYSCORE", "ZREVRANGEBYLEX", "ZRANGESTORE", "ZRANK",
      "ZREVRANK", "XRANGE", "XREVRANGE", "GEODIST");
  /** Commands whose argument 2 is a number: {@code EXPIRE k 60}, never {@code EXPIRE "k 60" NX}. */
  private static final Set<String> NUMBER_SECOND = Set.of("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT");

  private final List<byte[]> args;
  private final CommandSpec spec;
  private final boolean subcommand;
  /** Whether some argument after the last one read may be missing (cut text, too many others). */
  private final boolean cut;
  /** The words written out before an {@code [N other arguments]}, the name included; all of them when there is none. */
  private final int plainWords;
  /** How many {@code [N other arguments]} marks were read, and whether one ended the text. */
  private final int others;
  private final boolean othersLast;
  /**
   * Whether the words cannot be told apart as written: a space where no instrumentation puts one (two in a row, one
   * at either end), or a script whose end is not plain.
   */
  private final boolean unreadable;
  private boolean[] keyAt;
  private boolean distrusted;
  /** Whether the instrumentation's way of writing fixed which words are whole arguments. */
  private boolean counted;
  private Boolean regroupable;

  private StatementCommand(List<byte[]> args, CommandSpec spec, boolean subcommand, boolean cut, int plainWords,
      int others, boolean othersLast, boolean unreadable) {
    this.args = args;
    this.spec = spec;
    this.subcommand = subcommand;
    this.cut = cut;
    this.plainWords = plainWords;
    this.others = others;
    this.othersLast = othersLast;
    this.unreadable = unreadable;
    // asked once here, not at each reading fits() tries
    this.numberSecond = !subcommand && NUMBER_SECOND.contains(spec.name);
    this.optionsAfterArity = !subcommand && OPTIONS_AFTER_ARITY.contains(spec.name);
  }

  private final boolean numberSecond;
  private final boolean optionsAfterArity;

  /**
   * Reads one command from {@code text} (one line of it; see {@link #lines}), every mark read as any instrumentation
   * may write it; null when it names none.
   *
   * @param specs the command table, by upper-case name
   */
  public static StatementCommand parse(String text, Map<String, CommandSpec> specs) {
    return parse(text, specs, StatementDialect.OTHER);
  }

  /** {@link #parse(String, Map)} for a statement written by {@code dialect}: only its marks are read as marks. */
  static StatementCommand parse(String text, Map<String, CommandSpec> specs, StatementDialect dialect) {
    StatementWords words = StatementWords.read(text, dialect);
    List<byte[]> args = words.args;
    if (args.isEmpty() || args.get(0) == HIDDEN) {
      return null;
    }
    String name = upperCase(args.get(0));
    CommandSpec spec = specs.getOrDefault(name, CommandSpec.UNKNOWN);
    CommandSpec sub = spec.subcommands.length == 0 || args.size() < 2 || args.get(1) == HIDDEN ? null
        : spec.subcommand(args.get(1));
    boolean unreadable = words.gaps;
    if (SCRIPTED.contains(name)) {
      List<byte[]> joined = joinScript(args);
      unreadable |= joined == null;
      args = joined == null ? args : joined;
    }
    return new StatementCommand(args, sub != null ? sub : spec, sub != null, words.cut,
        words.plainWords < 0 ? args.size() : words.plainWords, words.others, words.othersLast, unreadable);
  }

  /** A command's name, upper case, as the table keys it; the names a fleet sends are few, so each is made once. */
  private static String upperCase(byte[] word) {
    String written = new String(word, StandardCharsets.UTF_8);
    String upper = UPPER.get(written);
    if (upper == null) {
      upper = written.toUpperCase(Locale.ROOT);
      if (UPPER.size() < 4096) {
        UPPER.put(written, upper);
      }
    }
    return upper;
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, String> UPPER =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * EVAL's words with its script's taken together as one argument, or null when where the script ends cannot be
   * told. The script is the words up to numkeys, and numkeys is a count with at least that many words after it: where
   * exactly one word can be it, that is it (the real one always can); where several can ({@code return 1 0}: script
   * {@code return} with key {@code 0}, or script {@code return 1} with none), or none is shown, it is unknown.
   */
  private static List<byte[]> joinScript(List<byte[]> args) {
    int numKeysAt = -1;
    for (int i = 2; i < args.size(); i++) {
      long count = args.get(i) == HIDDEN ? -1 : KeySpec.count(args.get(i));
      if (count >= 0 && i + count < args.size()) {
        if (numKeysAt >= 0) {
          return null;
        }
        numKeysAt = i;
      }
    }
    if (numKeysAt < 0) {
      return null;
    }
    List<byte[]> joined = new ArrayList<>();
    joined.add(args.get(0));
    joined.add(join(args.subList(1, numKeysAt)));
    joined.addAll(args.subList(numKeysAt, args.size()));
    return joined;
  }

  /** The words joined with spaces, as the argument they were; hidden when any of them is. */
  private static byte[] join(List<byte[]> words) {
    if (words.contains(HIDDEN)) {
      return HIDDEN;
    }
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] word : words) {
      if (joined.size() > 0) {
        joined.write(' ');
      }
      joined.writeBytes(word);
    }
    return joined.toByteArray();
  }


  /**
   * Whether {@code reading} (the words taken as arguments one way) fits the command: more words than a command of
   * fixed length takes mean that some argument held a space; fewer than the least (uncut) that the text was split
   * inside a command (a batch joined with ';' whose key held one) or cut without a mark; and where only option words
   * may follow the required arguments, another word there means a key or value before it held a space.
   */
  private boolean fits(List<byte[]> reading) {
    int least = Math.abs(spec.arity);
    int size = reading.size();
    if (spec.arity != 0 && !((spec.arity < 0 || size <= spec.arity) && (cut || size >= least))) {
      return false;
    }
    if (numberSecond && size > 2 && reading.get(2) != HIDDEN
        && !isInteger(reading.get(2))) {
      return false;
    }
    if (optionsAfterArity && least < size) {
      byte[] first = reading.get(least);
      return first == HIDDEN || spec.optionWord(first) != null;
    }
    return true;
  }

  /** Whether {@code word} is a decimal integer, a sign allowed. */
  private static boolean isInteger(byte[] word) {
    int from = word.length > 0 && (word[0] == '-' || word[0] == '+') ? 1 : 0;
    for (int i = from; i < word.length; i++) {
      if (word[i] < '0' || word[i] > '9') {
        return false;
      }
    }
    return word.length > from;
  }

  /**
   * Whether two neighbouring words, both written out, could be one argument that held a space, the command still
   * fitting and naming other keys: {@code DEL a b} is key {@code "a b"} as well as keys {@code a} and {@code b}, while
   * {@code SET k v EX 10} read as key {@code "k v"} would leave {@code 10} where an option word must be. Only a
   * command of varying length can be read both ways. A key with two spaces is caught where its words do not fit as
   * they stand ({@code SET a b c v}: {@code c} where an option word must be), unless those words read as the
   * command's own.
   */
  private boolean regroupable() {
    if (regroupable == null) {
      regroupable = false;
      if (spec.arity < 0 && spec.hasKeys() && !counted) {
        List<byte[]> asRead = keysOf(args);
        int tried = 0;
        for (int i = firstArgument(); i + 1 < args.size() && !regroupable; i++) {
          if (args.get(i) == HIDDEN || args.get(i + 1) == HIDDEN) {
            continue;
          }
          if (++tried > MAX_REGROUPINGS) {
            regroupable = true;
            break;
          }
          List<byte[]> reading = new ArrayList<>(args.subList(0, i));
          reading.add(join(args.subList(i, i + 2)));
          reading.addAll(args.subList(i + 2, args.size()));
          List<byte[]> keys = fits(reading) ? keysOf(reading) : List.of();
          regroupable = !keys.isEmpty() && !sameKeys(keys, asRead);
        }
      }
    }
    return regroupable;
  }

  /** The words of {@code reading} that the command's key specs name as keys, in order. */
  private List<byte[]> keysOf(List<byte[]> reading) {
    boolean[] marks = new boolean[reading.size()];
    spec.markKeys(reading, marks);
    List<byte[]> keys = new ArrayList<>();
    for (int i = firstArgument(); i < reading.size(); i++) {
      if (marks[i]) {
        keys.add(reading.get(i));
      }
    }
    return keys;
  }

  private static boolean sameKeys(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if ((a.get(i) == HIDDEN) != (b.get(i) == HIDDEN) || !Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the words read as the command one way only: the instrumentation's way of writing does not distrust them
   * ({@link StatementDialect}), no space stands out of place, they fit the command and no other grouping does.
   * Otherwise every key is unknown, and so is whatever else would be read from the words' positions.
   */
  public boolean readable() {
    return !distrusted && !unreadable && fits(args) && !regroupable();
  }

  /** The commands of a statement that holds several, one per line (a pipeline or a transaction). */
  public static List<String> lines(String text) {
    return lines(text, true, false);
  }

  /**
   * The commands of a statement: with {@code newlines}, one per line (go-redis's and redis-py's pipelines; elsewhere
   * a newline is an argument's own), and with {@code semicolons} also split at {@code ;} (the OpenTelemetry Java
   * agent's batch spans join their commands with {@code ;} or {@code "; "}; the space after one is the join's).
   */
  public static List<String> lines(String text, boolean newlines, boolean semicolons) {
    if ((!newlines || text.indexOf('\n') < 0) && (!semicolons || text.indexOf(';') < 0)) {
      // one command: the usual case, without a regular expression
      return text.isBlank() ? List.of() : List.of(semicolons && text.startsWith(" ") ? text.substring(1) : text);
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.split(semicolons ? (newlines ? "[\n;]" : ";") : "\n")) {
      line = semicolons && line.startsWith(" ") ? line.substring(1) : line;
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The command's name, upper case: its subcommand's with it ({@code OBJECT ENCODING}). */
  public String name() {
    String name = upperCase(args.get(0));
    return subcommand ? name + " " + spec.name : name;
  }

  /** Makes every key unknown: the instrumentation's way of writing shows the words cannot be read as they stand. */
  void distrust() {
    distrusted = true;
    keys = null;
  }

  /**
   * Takes each word as a whole argument: the instrumentation's way of writing shows that none held a space (Node's
   * count of the words it kept, the Java sanitizer's {@code ?} after its kept ones), so no two are tried as one.
   */
  void counted() {
    counted = true;
  }

  /** Word {@code i} as written (the name is word 0); {@code ?} for a hidden one. */
  String word(int i) {
    return new String(args.get(i), StandardCharsets.UTF_8);
  }

  /** The words written before an {@code [N other arguments]}, the name included; all of them when there is none. */
  int wordsBeforeOthers() {
    return plainWords;
  }

  /** Whether the statement counted arguments it left out ({@code [N other arguments]}). */
  boolean hasOthers() {
    return others > 0;
  }

  /** Whether the statement ends with its one {@code [N other arguments]}, as Node writes it. */
  boolean othersOnceAtEnd() {
    return others == 1 && othersLast;
  }

  /** Whether the command table knows the command. */
  public boolean known() {
    return spec != CommandSpec.UNKNOWN;
  }

  /** The keys, in order, each null where the instrumentation hid it; empty for a command with none. */
  public List<String> keys() {
    if (keys == null) {
      keys = java.util.Collections.unmodifiableList(readKeys());
    }
    return keys;
  }

  /** {@link #keys()}, read once: {@link StatementKeys} asks more than once. */
  private List<String> keys;

  private List<String> readKeys() {
    List<String> keys = new ArrayList<>();
    boolean readable = readable();
    for (int i = firstArgument(); i < args.size(); i++) {
      if (isKey(i)) {
        keys.add(args.get(i) == HIDDEN || !readable ? null : new String(args.get(i), StandardCharsets.UTF_8));
      }
    }
    if (keys.isEmpty() && spec.hasKeys() && (args.size() <= firstArgument() || hidesAny() || !readable)) {
      // the key's place was cut off, never written, depends on an argument hidden (EVAL's numkeys), or on words
      // that cannot be told apart: unknown
      keys.add(null);
    }
    return keys;
  }

  /** Whether any argument was hidden, or the text cut: then sizes, and TTLs not read, are unknown. */
  public boolean hidesAny() {
    if (cut) {
      return true;
    }
    for (byte[] arg : args) {
      if (arg == HIDDEN) {
        return true;
      }
    }
    return false;
  }

  /** Whether argument {@code i} was hidden by the instrumentation. */
  public boolean hidden(int i) {
    return args.get(i) == HIDDEN;
  }

  /** Whether arguments after the last one read may be missing. */
  public boolean cut() {
    return cut;
  }

  @Override
  public List<byte[]> args() {
    return args;
  }

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public boolean isKey(int i) {
    if (keyAt == null) {
      keyAt = new boolean[args.size()];
      spec.markKeys(args, keyAt);
    }
    return i < keyAt.length && keyAt[i];
  }

  @Override
  public int firstArgument() {
    return subcommand ? 2 : 1;
  }
}
