package io.memtrace.common.redis;

import java.util.List;

/**
 * What a command does to memory that its reply does not say: the bytes it writes and the TTL it
 * sets, as the overlay's WRITTEN and TTL columns tell where to look. Read from the arguments without
 * allocating: by the agent on its consumer thread from the arguments as sent, and by the collector
 * from a statement's words, where an argument an instrumentation hid reads as no number.
 */
public final class CommandEffects {

  private CommandEffects() {
  }

  /** Bytes of data {@code command} writes, or -1 when it writes none. */
  public static long writtenBytes(ParsedCommand command) {
    List<byte[]> args = command.args();
    long total = 0;
    boolean any = false;
    for (int i = firstWritten(command); i > 0 && i < args.size(); i++) {
      if (isWritten(command, i)) {
        total += args.get(i).length;
        any = true;
      }
    }
    return any ? total : -1;
  }

  /**
   * Where the data {@code command} writes may start: the argument {@link #isWritten} looks at first, or -1 for a
   * command that writes none.
   */
  public static int firstWritten(ParsedCommand command) {
    switch (command.spec().meaning.written) {
      case ARG2:
        return 2;
      case ARG3:
        return 3;
      case VALUES:
        return command.firstArgument();
      default:
        return -1;
    }
  }

  /**
   * Whether argument {@code i} is data {@code command} writes, the bytes {@link #writtenBytes} counts: the value
   * at the position the command's meaning names, or (VALUES) everything that is not a key, an index name or an
   * option word.
   */
  public static boolean isWritten(ParsedCommand command, int i) {
    List<byte[]> args = command.args();
    CommandSpec spec = command.spec();
    if (i >= args.size()) {
      return false;
    }
    switch (spec.meaning.written) {
      case ARG2:
        return i == 2;
      case ARG3:
        return i == 3;
      case VALUES:
        return i >= command.firstArgument() && !command.isKey(i) && i != spec.indexAt
            && spec.optionWord(i, args) == null;
      default:
        return false;
    }
  }

  /**
   * The TTL {@code command} sets, in whole seconds, or -1. A TTL in milliseconds is cut to whole seconds, but one
   * of under a second is 1, never 0: a TTL of 0 or less deletes the key at once, and a {@code PEXPIRE} of 78 ms read
   * as 0 made the timeline take another command's delete of the key for the PEXPIRE's (truth suite seed 34158).
   */
  public static long ttlSeconds(ParsedCommand command) {
    List<byte[]> args = command.args();
    CommandSpec spec = command.spec();
    switch (spec.meaning.ttl) {
      case ARG2_SECONDS:
        return number(args, 2, 1);
      case ARG2_MILLIS:
        return number(args, 2, 1000);
      case OPTIONS:
        return ttlOption(args, spec, spec.optionsFrom);
      case OPTIONS_AFTER_KEYS:
        int last = 0;
        for (int i = 1; i < args.size(); i++) {
          last = command.isKey(i) ? i : last;
        }
        return last == 0 ? -1 : ttlOption(args, spec, last + 2);
      default:
        return -1;
    }
  }

  /** {@code EX seconds} or {@code PX milliseconds} among the options from {@code from} on. */
  private static long ttlOption(List<byte[]> args, CommandSpec spec, int from) {
    // SET's value sits before its options and may itself read "EX"; HSETEX's fields come after
    // FIELDS and may too
    for (int i = from; i + 1 < args.size(); i++) {
      String option = spec.optionWord(args.get(i));
      if (option == null) {
        continue;
      }
      switch (option) {
        case "EX":
          return number(args, i + 1, 1);
        case "PX":
          return number(args, i + 1, 1000);
        case "FIELDS":
          return -1;
        default:
          break;
      }
    }
    return -1;
  }

  /** The decimal at {@code index} divided by {@code divisor}, or -1; read without a String. */
  private static long number(List<byte[]> args, int index, long divisor) {
    byte[] digits = index < args.size() ? args.get(index) : null;
    if (digits == null || digits.length == 0 || digits.length > 18) {
      return -1;
    }
    boolean negative = digits[0] == '-';
    int from = negative || digits[0] == '+' ? 1 : 0;
    long n = 0;
    for (int i = from; i < digits.length; i++) {
      if (digits[i] < '0' || digits[i] > '9') {
        return -1;
      }
      n = n * 10 + (digits[i] - '0');
    }
    if (from == digits.length) {
      return -1;
    }
    // a positive TTL of under a second expires within one; 0 would read as a delete
    return negative ? -n / divisor : n > 0 && n < divisor ? 1 : n / divisor;
  }
}
