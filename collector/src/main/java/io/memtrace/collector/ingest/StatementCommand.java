package io.memtrace.collector.ingest;

import static io.memtrace.collector.ingest.StatementWords.HIDDEN;

import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.ParsedCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  /** Commands whose first argument is a script, free text that is many words: EVAL's Lua. */
  private static final Set<String> SCRIPTED = Set.of("EVAL", "EVAL_RO");

  /** The words as the statement wrote them, with what the reader judges them by. */
  private final StatementWords words;
  /** The arguments: the words, with a script's many words joined into one. */
  private final List<byte[]> args;
  private final CommandSpec spec;
  private final boolean subcommand;
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

  private StatementCommand(StatementWords words, List<byte[]> args, CommandSpec spec, boolean subcommand,
      boolean unreadable) {
    this.words = words;
    this.args = args;
    this.spec = spec;
    this.subcommand = subcommand;
    this.unreadable = unreadable;
    this.readings = new StatementReadings(spec, subcommand, words.cut());
  }

  private final StatementReadings readings;

  /**
   * Reads one command from {@code text} (one line of it; see {@link StatementWords#lines}), every mark read as any
   * instrumentation may write it; null when it names none.
   *
   * @param specs the command table, by upper-case name
   */
  public static StatementCommand parse(String text, Map<String, CommandSpec> specs) {
    return parse(text, specs, StatementDialect.OTHER);
  }

  /** {@link #parse(String, Map)} for a statement written by {@code dialect}: only its marks are read as marks. */
  static StatementCommand parse(String text, Map<String, CommandSpec> specs, StatementDialect dialect) {
    StatementWords words = StatementWords.read(text, dialect.marks());
    List<byte[]> args = words.args();
    if (args.isEmpty() || args.get(0) == HIDDEN) {
      return null;
    }
    String name = StatementWords.upperCase(args.get(0));
    CommandSpec spec = specs.getOrDefault(name, CommandSpec.UNKNOWN);
    CommandSpec sub = spec.subcommands.length == 0 || args.size() < 2 || args.get(1) == HIDDEN ? null
        : spec.subcommand(args.get(1));
    boolean unreadable = words.gaps();
    if (SCRIPTED.contains(name)) {
      List<byte[]> joined = StatementReadings.joinScript(args);
      unreadable |= joined == null;
      args = joined == null ? args : joined;
    }
    return new StatementCommand(words, args, sub != null ? sub : spec, sub != null, unreadable);
  }

  /**
   * Whether the words read as the command one way only: the instrumentation's way of writing does not distrust them
   * ({@link StatementDialect}), no space stands out of place, they fit the command and no other grouping does.
   * Otherwise every key is unknown, and so is whatever else would be read from the words' positions.
   */
  public boolean readable() {
    return !distrusted && !unreadable && readings.fits(args) && !regroupable();
  }

  /** Whether two neighbouring words could be one argument ({@link StatementReadings#regroupable}), asked once. */
  private boolean regroupable() {
    if (regroupable == null) {
      regroupable = !counted && readings.regroupable(args);
    }
    return regroupable;
  }

  /** The command's name, upper case: its subcommand's with it ({@code OBJECT ENCODING}). */
  public String name() {
    String name = StatementWords.upperCase(args.get(0));
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
    return words.plainWords() < 0 ? args.size() : words.plainWords();
  }

  /** Whether the statement counted arguments it left out ({@code [N other arguments]}). */
  boolean hasOthers() {
    return words.others() > 0;
  }

  /** Whether the statement ends with its one {@code [N other arguments]}, as Node writes it. */
  boolean othersOnceAtEnd() {
    return words.others() == 1 && words.othersLast();
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
    if (words.cut()) {
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
    return words.cut();
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
