package io.memtrace.common.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One of Redis's key specifications (Redis 7+ {@code COMMAND INFO}, {@code src/commands/*.json}):
 * where the search for keys begins (a fixed index, or after a keyword such as {@code STREAMS}) and
 * how the keys are found from there (a range, or a count given in the arguments as {@code EVAL}'s
 * {@code numkeys}). Positions count the command name as 0. {@link #mark} follows Redis's own
 * {@code getKeysUsingKeySpecs}, so a command's keys are the ones the server itself would take.
 */
public final class KeySpec {

  /** Index where the search begins, or 0 when it begins after {@link #keyword}. */
  private final int index;
  private final byte[] keyword;
  /** Where the keyword search starts; negative counts from the end and searches backwards. */
  private final int startFrom;
  private final boolean keyNum;
  /** Range: last key relative to the first (negative: from the end); keynum: unused. */
  private final int lastKey;
  private final int step;
  /** Range with a negative last key: the keys are 1/limit of what is left. */
  private final int limit;
  /** Keynum: where the count is and where the keys start, both relative to the begin index. */
  private final int keyNumIndex;
  private final int firstKey;

  private KeySpec(int index, byte[] keyword, int startFrom, boolean keyNum, int lastKey, int step,
      int limit, int keyNumIndex, int firstKey) {
    this.index = index;
    this.keyword = keyword;
    this.startFrom = startFrom;
    this.keyNum = keyNum;
    this.lastKey = lastKey;
    this.step = Math.max(1, step);
    this.limit = limit;
    this.keyNumIndex = keyNumIndex;
    this.firstKey = firstKey;
  }

  /**
   * Reads the table's text form: {@code index=1 range=0,1,0}, {@code keyword=STREAMS,1
   * range=-1,1,2}, {@code index=2 keynum=0,1,1}, optionally followed by {@code flags=...}.
   * Returns {@code null} for {@code unknown}: keys only a command's own code can find.
   */
  public static KeySpec parse(String text) {
    if (text.startsWith("unknown")) {
      return null;
    }
    int index = 0;
    byte[] keyword = null;
    int startFrom = 0;
    int[] find = null;
    boolean keyNum = false;
    for (String part : CommandOverlay.words(text)) {
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = part.substring(eq + 1);
      switch (name) {
        case "index":
          index = Integer.parseInt(value);
          break;
        case "keyword":
          int comma = value.lastIndexOf(',');
          keyword = value.substring(0, comma).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
          startFrom = Integer.parseInt(value.substring(comma + 1));
          break;
        case "range":
        case "keynum":
          keyNum = name.equals("keynum");
          find = numbers(value);
          break;
        case "flags":
          break; // the flags say how a key is used; memtrace's overlay says that its own way
        default:
          throw new IllegalArgumentException("unknown part '" + part + "' in key spec '" + text + "'");
      }
    }
    if ((index <= 0) == (keyword == null) || find == null) {
      throw new IllegalArgumentException("key spec '" + text + "' needs index= or keyword=, and range= or keynum=");
    }
    return keyNum
        ? new KeySpec(index, keyword, startFrom, true, 0, find[2], 0, find[0], find[1])
        : new KeySpec(index, keyword, startFrom, false, find[0], find[1], find[2], 0, 0);
  }

  private static int[] numbers(String value) {
    String[] parts = value.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException("expected three numbers, got '" + value + "'");
    }
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
  }

  /** The index the search begins at, or 0 when it begins after a keyword. */
  public int beginIndex() {
    return index;
  }

  /**
   * Sets {@code keys[i]} for each position {@code i} of {@code args} this spec names as a key.
   * Arguments that do not fit the spec (a missing keyword, a count that is not a number or
   * points past the end) mark nothing, as the server then takes no keys from this spec either.
   */
  public void mark(List<byte[]> args, boolean[] keys) {
    int argc = args.size();
    int first = index;
    if (keyword != null) {
      first = afterKeyword(args, argc);
      if (first == 0) {
        return;
      }
    }
    long last;
    if (!keyNum) {
      if (lastKey >= 0) {
        last = first + lastKey;
      } else if (limit == 0) {
        last = argc + lastKey;
      } else {
        last = first + ((argc - first) / limit + lastKey);
      }
    } else {
      int at = first + keyNumIndex;
      long count = at < argc ? count(args.get(at)) : -1;
      if (count < 0) {
        return;
      }
      first += firstKey;
      last = first + (count - 1) * step;
    }
    if (first >= argc || last < first || last >= argc) {
      return;
    }
    for (int i = first; i <= last; i += step) {
      keys[i] = true;
    }
  }

  /** The position after the keyword, searched as Redis does, or 0 when it is not there. */
  private int afterKeyword(List<byte[]> args, int argc) {
    int start = startFrom > 0 ? startFrom : argc + startFrom;
    int end = startFrom > 0 ? argc - 1 : 1;
    for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
      if (i >= argc || i < 1) {
        break;
      }
      if (equalsIgnoreCase(args.get(i), keyword)) {
        return i + 1;
      }
    }
    return 0;
  }

  /** {@code arg} upper-cased equals {@code upper}, an upper-case ASCII word. */
  public static boolean equalsIgnoreCase(byte[] arg, byte[] upper) {
    if (arg.length != upper.length) {
      return false;
    }
    for (int i = 0; i < arg.length; i++) {
      int b = arg[i];
      if (b >= 'a' && b <= 'z') {
        b -= 'a' - 'A';
      }
      if (b != upper[i]) {
        return false;
      }
    }
    return true;
  }

  /** A non-negative decimal count of at most 9 digits, as Redis reads numkeys, or -1. */
  public static long count(byte[] digits) {
    if (digits.length == 0 || digits.length > 9) {
      return -1;
    }
    long n = 0;
    for (byte b : digits) {
      if (b < '0' || b > '9') {
        return -1;
      }
      n = n * 10 + (b - '0');
    }
    return n;
  }
}
