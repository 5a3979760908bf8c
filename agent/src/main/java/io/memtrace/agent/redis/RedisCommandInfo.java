package io.memtrace.agent.redis;

import io.memtrace.agent.redis.CommandSpec.Access;
import io.memtrace.agent.redis.CommandSpec.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Redis command decoded for a span: its name, sanitized text, first key, the bytes it writes
 * and the TTL it sets. Built on the consumer thread from the raw arguments Jedis sent.
 */
public final class RedisCommandInfo {

  /** Longest {@code db.query.text}; longer text is cut and ends with {@code ...}. */
  static final int MAX_QUERY_TEXT = 1024;
  /** Longest value shown when values are captured. */
  static final int MAX_VALUE_TEXT = 64;

  /** Command names already resolved, by the identity of the bytes Jedis sent them as. */
  private static final Map<byte[], Resolved> RESOLVED = new ConcurrentHashMap<>();
  private static final int RESOLVED_LIMIT = 1024;

  private final String name;
  private final CommandSpec spec;
  private final int optionsFrom;
  private final List<byte[]> args;
  /** The first key's index (-1: none), decoded text and display form, worked out once. */
  private int firstKeyIndex = -2;
  private String firstKey;
  private String firstKeyShown;
  private KeyPolicy shownBy;

  private RedisCommandInfo(Resolved resolved, List<byte[]> args) {
    this.name = resolved.name;
    this.spec = resolved.spec;
    this.optionsFrom = resolved.optionsFrom;
    this.args = args;
  }

  /** A command name with what the table says of it. */
  private static final class Resolved {
    final String name;
    final CommandSpec spec;
    final int optionsFrom;

    Resolved(String name) {
      this.name = name;
      this.spec = RedisCommandTable.lookup(name);
      this.optionsFrom = RedisCommandTable.optionsFrom(name);
    }
  }

  /**
   * @param args the command name followed by its arguments, exactly as sent. Jedis sends a command's
   *     name as the same constant byte array every time (its {@code Protocol.Command}), so the name
   *     is decoded, upper-cased and looked up once per array, not once per command.
   */
  public static RedisCommandInfo of(List<byte[]> args) {
    if (args.isEmpty()) {
      return new RedisCommandInfo(new Resolved("UNKNOWN"), args);
    }
    byte[] raw = args.get(0);
    Resolved resolved = RESOLVED.get(raw);
    if (resolved == null) {
      resolved = new Resolved(ascii(raw).toUpperCase(Locale.ROOT));
      if (RESOLVED.size() < RESOLVED_LIMIT) { // names built afresh for each call are not kept
        RESOLVED.put(raw, resolved);
      }
    }
    return new RedisCommandInfo(resolved, args);
  }

  public String name() {
    return name;
  }

  public boolean isRead() {
    return spec.access == Access.READ;
  }

  public boolean isWrite() {
    return spec.access == Access.WRITE;
  }

  /** True for MULTI, EXEC and DISCARD, which frame a transaction rather than belong to it. */
  public boolean isTransactionControl() {
    return name.equals("MULTI") || name.equals("EXEC") || name.equals("DISCARD");
  }

  /** The first key as sent, or {@code null} for a command without keys. */
  public String firstKey() {
    if (firstKeyIndex == -2) {
      firstKeyIndex = -1;
      for (int i = 1; i < args.size(); i++) {
        if (spec.isKey(i, args.size())) {
          firstKeyIndex = i;
          firstKey = utf8(args.get(i));
          break;
        }
      }
    }
    return firstKey;
  }

  /** The first key as {@code keys} shows it (kept, hashed or hidden), or {@code null}. */
  public String firstKeyShown(KeyPolicy keys) {
    String key = firstKey();
    if (key == null) {
      return null;
    }
    if (shownBy != keys) {
      shownBy = keys;
      firstKeyShown = keys.display(key);
    }
    return firstKeyShown;
  }

  private String shownKey(KeyPolicy keys, int index) {
    firstKey();
    return index == firstKeyIndex ? firstKeyShown(keys) : keys.display(utf8(args.get(index)));
  }

  /** How a read's reply tells found from not found. */
  CommandSpec.Found foundRule() {
    return spec.found;
  }

  /** Bytes of data this command writes, or -1 when it writes none. */
  public long writtenBytes() {
    switch (spec.written) {
      case ARG2:
        return args.size() > 2 ? args.get(2).length : -1;
      case ARG3:
        return args.size() > 3 ? args.get(3).length : -1;
      case SET:
        return args.size() > 2 ? args.get(2).length : -1;
      case ALL_BUT_KEYS:
        long total = 0;
        boolean any = false;
        for (int i = 1; i < args.size(); i++) {
          if (!spec.isKey(i, args.size())) {
            total += args.get(i).length;
            any = true;
          }
        }
        return any ? total : -1;
      default:
        return -1;
    }
  }

  /** The TTL this command sets, in seconds, or -1. */
  public long ttlSeconds() {
    switch (spec.ttl) {
      case ARG2_SECONDS:
        return number(2, 1);
      case ARG2_MILLIS:
        return number(2, 1000);
      case SET_OPTIONS:
        // SET's value sits at 2 and may itself read "EX"; GETEX has no value
        for (int i = spec.written == CommandSpec.Written.SET ? 3 : 2; i + 1 < args.size(); i++) {
          String option = ascii(args.get(i)).toUpperCase(Locale.ROOT);
          if (option.equals("EX")) {
            return number(i + 1, 1);
          }
          if (option.equals("PX")) {
            return number(i + 1, 1000);
          }
        }
        return -1;
      default:
        return -1;
    }
  }

  private long number(int index, long divisor) {
    if (index >= args.size()) {
      return -1;
    }
    try {
      return Long.parseLong(ascii(args.get(index))) / divisor;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The command with keys kept (or hashed, or hidden, as {@code keys} says) and everything else
   * replaced by {@code ?}, unless {@code showValues}; secrets are always hidden.
   */
  public String queryText(KeyPolicy keys, boolean showValues) {
    StringBuilder text = new StringBuilder(name);
    int n = args.size();
    int i = 1;
    for (; i < n && text.length() < MAX_QUERY_TEXT; i++) {
      text.append(' ');
      String shown;
      if (spec.secret == Secret.ALL || (spec.secret == Secret.AFTER_ARG1 && i > 1)) {
        shown = "?";
      } else if (i == 1 && spec.subcommand) {
        shown = ascii(args.get(i)).toUpperCase(Locale.ROOT);
      } else if (spec.isKey(i, n)) {
        String key = shownKey(keys, i);
        shown = key == null ? "?" : key;
      } else if (i >= optionsFrom && isKeyword(args.get(i))) {
        shown = ascii(args.get(i)).toUpperCase(Locale.ROOT);
      } else if (spec.secret == Secret.AFTER_ARG1 && i == 1) {
        shown = ascii(args.get(i));
      } else if (showValues) {
        String value = utf8(args.get(i));
        shown = value.length() > MAX_VALUE_TEXT ? value.substring(0, MAX_VALUE_TEXT) + "..." : value;
      } else {
        shown = "?";
      }
      text.append(shown);
    }
    if (text.length() > MAX_QUERY_TEXT || i < n) {
      text.setLength(Math.min(text.length(), MAX_QUERY_TEXT - 3));
      text.append("...");
    }
    return text.toString();
  }

  private static boolean isKeyword(byte[] arg) {
    if (arg.length == 0 || arg.length > 12) {
      return false;
    }
    for (byte b : arg) {
      if (!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z'))) {
        return false;
      }
    }
    return RedisCommandTable.KEYWORDS.contains(ascii(arg).toUpperCase(Locale.ROOT));
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
