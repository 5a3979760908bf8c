package io.memtrace.collector.ingest;

import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.ParsedCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Redis command read back from the statement text another instrumentation put on its span ({@code db.query.text}
 * or {@code db.statement}), such as {@code set aqe/test-plans:plan-1 [3 other arguments]} (Node), {@code SET k ?}
 * (the OpenTelemetry Java agent) or {@code set k v ex 10} (go-redis): the words, with each argument the
 * instrumentation hid kept as an unknown one, so that the command table's key specs ({@link CommandSpec#markKeys})
 * count positions as Redis does and a key hidden at its position is known to be unknown, never taken from a
 * neighbour.
 *
 * <p>What counts as hidden: a {@code ?} (the sanitizers' mark), the arguments an {@code [N other arguments]} stands for
 * (Node's), and a word cut by a truncated statement (text ending in {@code ...} or {@code …}). Words are separated by
 * spaces and taken as they are: no instrumentation quotes or escapes an argument (docs/redis-statements.md), so a
 * quote is part of its word. A key that holds a space is therefore two words; where that gives the command more
 * words than Redis's arity allows, every key is unknown rather than a wrong one.
 */
public final class StatementCommand implements ParsedCommand {

  /** The unknown argument, told apart by identity: a literal {@code ?} key cannot be one. */
  private static final byte[] HIDDEN = "?".getBytes(StandardCharsets.US_ASCII);
  /** The most arguments an {@code [N other arguments]} is read as: past them, positions are unknown anyway. */
  static final int MAX_ARGUMENTS = 4096;
  private static final Pattern OTHERS = Pattern.compile("\\[(\\d{1,9}) other arguments?]");

  private final List<byte[]> args;
  private final CommandSpec spec;
  private final boolean subcommand;
  /** Whether some argument after the last one read may be missing (cut text, too many others). */
  private final boolean cut;
  /** The words written out before an {@code [N other arguments]}, the name included; all of them when there is none. */
  private final int plainWords;
  private final boolean others;
  private boolean[] keyAt;
  private boolean distrusted;

  private StatementCommand(List<byte[]> args, CommandSpec spec, boolean subcommand, boolean cut, int plainWords,
      boolean others) {
    this.args = args;
    this.spec = spec;
    this.subcommand = subcommand;
    this.cut = cut;
    this.plainWords = plainWords;
    this.others = others;
  }

  /**
   * Reads one command from {@code text} (one line of it; see {@link #lines}); null when it names none.
   *
   * @param specs the command table, by upper-case name
   */
  public static StatementCommand parse(String text, Map<String, CommandSpec> specs) {
    String trimmed = text.strip();
    boolean cut = trimmed.endsWith("...") || trimmed.endsWith("\u2026");
    if (cut) {
      trimmed = trimmed.substring(0, trimmed.length() - (trimmed.endsWith("...") ? 3 : 1));
    }
    List<byte[]> args = new ArrayList<>();
    int plainWords = -1;
    int i = 0;
    int n = trimmed.length();
    while (i < n) {
      char c = trimmed.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
        continue;
      }
      if (c == '[') {
        Matcher others = OTHERS.matcher(trimmed).region(i, n);
        if (others.lookingAt()) {
          plainWords = plainWords < 0 ? args.size() : plainWords;
          long count = Long.parseLong(others.group(1));
          for (long k = 0; k < count && args.size() < MAX_ARGUMENTS; k++) {
            args.add(HIDDEN);
          }
          cut |= args.size() >= MAX_ARGUMENTS;
          i = others.end();
          continue;
        }
      }
      int start = i;
      while (i < n && trimmed.charAt(i) != ' ' && trimmed.charAt(i) != '\t') {
        i++;
      }
      String word = trimmed.substring(start, i);
      args.add(word.equals("?") ? HIDDEN : word.getBytes(StandardCharsets.UTF_8));
    }
    if (cut && !args.isEmpty() && !trimmed.isEmpty() && !trimmed.endsWith(" ") && !trimmed.endsWith("]")) {
      // the last word ran into the cut: only its beginning is known
      args.set(args.size() - 1, HIDDEN);
    }
    if (args.isEmpty() || args.get(0) == HIDDEN) {
      return null;
    }
    String name = new String(args.get(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    CommandSpec spec = specs.getOrDefault(name, CommandSpec.UNKNOWN);
    CommandSpec sub = spec.subcommands.length == 0 || args.size() < 2 || args.get(1) == HIDDEN ? null
        : spec.subcommand(args.get(1));
    return new StatementCommand(args, sub != null ? sub : spec, sub != null, cut,
        plainWords < 0 ? args.size() : plainWords, plainWords >= 0);
  }

  /**
   * Whether the words fit the command's arity: more words than a command of fixed length takes mean that some
   * argument held a space, and which words make which argument cannot be told.
   */
  private boolean fits() {
    int least = Math.abs(spec.arity);
    // more words than a fixed arity: an argument held a space; fewer than the least (uncut): the text was split
    // inside a command (a batch joined with ';' whose key held one) or cut without a mark
    return spec.arity == 0 || ((spec.arity < 0 || args.size() <= spec.arity) && (cut || args.size() >= least));
  }

  /** The commands of a statement that holds several, one per line (a pipeline or a transaction). */
  public static List<String> lines(String text) {
    return lines(text, false);
  }

  /**
   * The commands of a statement, one per line, and with {@code semicolons} also split at {@code ;} (the OpenTelemetry
   * Java agent's batch spans join their commands with {@code ;} or {@code "; "}).
   */
  public static List<String> lines(String text, boolean semicolons) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split(semicolons ? "[\n;]" : "\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The command's name, upper case: its subcommand's with it ({@code OBJECT ENCODING}). */
  public String name() {
    String name = new String(args.get(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    return subcommand ? name + " " + spec.name : name;
  }

  /** Makes every key unknown: the instrumentation's way of writing shows the words cannot be read as they stand. */
  void distrust() {
    distrusted = true;
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
    return others;
  }

  /** Whether the command table knows the command. */
  public boolean known() {
    return spec != CommandSpec.UNKNOWN;
  }

  /** The keys, in order, each null where the instrumentation hid it; empty for a command with none. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    boolean fits = fits() && !distrusted;
    for (int i = firstArgument(); i < args.size(); i++) {
      if (isKey(i)) {
        keys.add(args.get(i) == HIDDEN || !fits ? null : new String(args.get(i), StandardCharsets.UTF_8));
      }
    }
    if (keys.isEmpty() && spec.hasKeys() && (args.size() <= firstArgument() || hidesAny())) {
      // the key's place was cut off, never written, or depends on an argument hidden (EVAL's numkeys): unknown
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
