package io.memtrace.collector.ingest;

import static io.memtrace.collector.ingest.StatementWords.HIDDEN;

import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.KeySpec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The ways a statement's words can be taken as one command's arguments. An instrumentation writes arguments
 * separated by single spaces without quoting them, so a key that held a space is two words: {@link StatementCommand}
 * trusts its words only where they fit the command (Redis's arity, a number where one must be, only option words after
 * the required arguments) and no other grouping of two neighbouring words fits it too while naming other keys.
 */
final class StatementReadings {

  /** The most pairs of neighbouring words tried as one argument: past them, the words are not read at all. */
  static final int MAX_REGROUPINGS = 256;
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

  private final CommandSpec spec;
  private final boolean cut;
  private final int firstArgument;
  // asked once here, not at each reading fits() tries
  private final boolean numberSecond;
  private final boolean optionsAfterArity;

  StatementReadings(CommandSpec spec, boolean subcommand, boolean cut) {
    this.spec = spec;
    this.cut = cut;
    this.firstArgument = subcommand ? 2 : 1;
    this.numberSecond = !subcommand && NUMBER_SECOND.contains(spec.name);
    this.optionsAfterArity = !subcommand && OPTIONS_AFTER_ARITY.contains(spec.name);
  }

  /**
   * Whether {@code reading} (the words taken as arguments one way) fits the command: more words than a command of
   * fixed length takes mean that some argument held a space; fewer than the least (uncut) that the text was split
   * inside a command (a batch joined with ';' whose key held one) or cut without a mark; and where only option words
   * may follow the required arguments, another word there means a key or value before it held a space.
   */
  boolean fits(List<byte[]> reading) {
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
  boolean regroupable(List<byte[]> args) {
    if (spec.arity >= 0 || !spec.hasKeys()) {
      return false;
    }
    List<byte[]> asRead = keysOf(args);
    int tried = 0;
    for (int i = firstArgument; i + 1 < args.size(); i++) {
      if (args.get(i) == HIDDEN || args.get(i + 1) == HIDDEN) {
        continue;
      }
      if (++tried > MAX_REGROUPINGS) {
        return true;
      }
      List<byte[]> reading = new ArrayList<>(args.subList(0, i));
      reading.add(join(args.subList(i, i + 2)));
      reading.addAll(args.subList(i + 2, args.size()));
      List<byte[]> keys = fits(reading) ? keysOf(reading) : List.of();
      if (!keys.isEmpty() && !sameKeys(keys, asRead)) {
        return true;
      }
    }
    return false;
  }

  /** The words of {@code reading} that the command's key specs name as keys, in order. */
  private List<byte[]> keysOf(List<byte[]> reading) {
    boolean[] marks = new boolean[reading.size()];
    spec.markKeys(reading, marks);
    List<byte[]> keys = new ArrayList<>();
    for (int i = firstArgument; i < reading.size(); i++) {
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

  /** The words joined with spaces, as the argument they were; hidden when any of them is. */
  static byte[] join(List<byte[]> words) {
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
   * EVAL's words with its script's taken together as one argument, or null when where the script ends cannot be
   * told. The script is the words up to numkeys, and numkeys is a count with at least that many words after it: where
   * exactly one word can be it, that is it (the real one always can); where several can ({@code return 1 0}: script
   * {@code return} with key {@code 0}, or script {@code return 1} with none), or none is shown, it is unknown.
   */
  static List<byte[]> joinScript(List<byte[]> args) {
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
}
