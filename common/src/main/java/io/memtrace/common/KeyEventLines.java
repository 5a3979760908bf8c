package io.memtrace.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The text of a key event's {@code memtrace.commands} attribute (ADR 0004): the compressed commands sent on one
 * connection, one line each, written by the agent and read by the collector. What the event itself holds once
 * ({@code server.address}, {@code server.port}, {@code db.namespace}, the first command's end as its time) no line
 * repeats. A line, {@code '\n'}-terminated:
 *
 * <pre>
 * end duration span-id context name key-attributes key-length:key[ namespace-length:namespace]
 * </pre>
 *
 * <ul>
 *   <li>{@code end}: nanoseconds after the previous line's end (the first line's after the event's time, so 0),
 *       signed decimal; {@code duration}: nanoseconds, decimal;</li>
 *   <li>{@code span-id}: 8 bytes as unpadded base64url (11 characters);</li>
 *   <li>{@code context}: empty when trace and parent are the previous line's; else the trace id, 16 bytes as
 *       unpadded base64url (22 characters), followed by {@code .} and the parent span id when there is one;</li>
 *   <li>{@code name}: the command's, as its span's name, written as it is when it is letters, digits and
 *       {@code _.|-} not starting with a digit, else as {@code length:name};</li>
 *   <li>{@code key-attributes}: {@code namespace,value_size,found,ttl,result_count}, each empty when the span would
 *       not have it, trailing commas left out; {@code namespace} is the length in UTF-8 bytes of the key's prefix
 *       that is {@code memory.namespace}, or {@code *} when the namespace follows the key; {@code found} 1 or 0;</li>
 *   <li>the key, and a namespace that is not the key's prefix, as their length in UTF-8 bytes, {@code :} and the
 *       text, so that a key may hold any character.</li>
 * </ul>
 *
 * <p>Pipelines and transactions compressed as a whole go in a {@code memtrace.batches} attribute of an event of
 * their own (same connection attributes), so that a collector that knows only single commands leaves them out as
 * a malformed event rather than reading them as commands. A batch is its span's line, with the span's name
 * ({@code PIPELINE SET}, {@code MULTI}) and no key, then a line for each of its commands that the batch span lists
 * as a {@code memtrace.batch.command} event (one that names a key and is not a read), in order:
 *
 * <pre>
 * end duration span-id context name
 * + name key-attributes key-length:key[ namespace-length:namespace]
 * </pre>
 */
public final class KeyEventLines {

  /** The event attribute holding the lines. */
  public static final String ATTRIBUTE = "memtrace.commands";
  /** The event attribute (and the event's name) holding the lines of compressed pipelines and transactions. */
  public static final String BATCHES = "memtrace.batches";

  private static final byte[] BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);

  /** "00" to "99", each number's two digits. */
  private static final byte[] PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private KeyEventLines() {
  }

  /**
   * Writes the lines of one event; reused after {@link #take}. One thread. The text is kept as UTF-8 bytes, not in a
   * {@code StringBuilder}: this runs for every compressed command, and a byte a character is the most of its cost.
   */
  public static final class Writer {
    private byte[] text = new byte[512];
    private int length;
    private int lines;
    private long first;
    private long previousEnd;
    private long traceHigh;
    private long traceLow;
    private long parent;
    private final String[] names = new String[8];
    private final boolean[] plainNames = new boolean[8];
    private int nextName;

    /** The first line's end: the event's time. */
    public long firstEnd() {
      return first;
    }

    /** Lines written since the last {@link #take}. */
    public int lines() {
      return lines;
    }

    /** Starts a line: the command's times and ids ({@code parentSpanId} 0: none). */
    public Writer command(String name, long end, long duration, long spanId, long traceIdHigh, long traceIdLow,
        long parentSpanId) {
      if (lines == 0) {
        first = end;
        previousEnd = end;
      }
      number(end - previousEnd);
      put(' ');
      number(Math.max(0, duration));
      put(' ');
      previousEnd = end;
      id(spanId);
      put(' ');
      if (lines == 0 || traceIdHigh != traceHigh || traceIdLow != traceLow || parentSpanId != parent) {
        id(traceIdHigh, traceIdLow);
        if (parentSpanId != 0) {
          put('.');
          id(parentSpanId);
        }
        traceHigh = traceIdHigh;
        traceLow = traceIdLow;
        parent = parentSpanId;
      }
      put(' ');
      name(name);
      put(' ');
      lines++;
      return this;
    }

    private void name(String name) {
      if (plainName(name)) {
        ascii(name);
      } else {
        key(name);
      }
    }

    /** {@link #plain}, remembered for the last few names by identity: a command's name is one of a few constants. */
    private boolean plainName(String name) {
      for (int i = 0; i < names.length; i++) {
        if (names[i] == name) {
          return plainNames[i];
        }
      }
      boolean plain = plain(name);
      names[nextName] = name;
      plainNames[nextName] = plain;
      nextName = (nextName + 1) % names.length;
      return plain;
    }

    /**
     * Writes a batch's line (a {@link #BATCHES} writer): its span's times, ids and name; its commands follow, each
     * {@link #batchCommand}, then as a command's line from {@link #attributes} on.
     */
    public Writer batch(String name, long end, long duration, long spanId, long traceIdHigh, long traceIdLow,
        long parentSpanId) {
      command(name, end, duration, spanId, traceIdHigh, traceIdLow, parentSpanId);
      text[length - 1] = '\n';
      return this;
    }

    /** Starts the line of a command of the batch written last. */
    public Writer batchCommand(String name) {
      put('+');
      put(' ');
      name(name);
      put(' ');
      lines++;
      return this;
    }

    /**
     * The key attributes; -1 (and for {@code namespace} also -2, given after the key) where the span has none.
     *
     * @param namespace the UTF-8 length of the key's prefix that is its namespace; -2: {@link #namespace} follows
     * @param found 1 or 0
     */
    public Writer attributes(int namespace, long valueSize, int found, long ttl, long resultCount) {
      int start = length;
      if (namespace == -2) {
        put('*');
      } else if (namespace >= 0) {
        number(namespace);
      }
      int end = length;
      end = field(valueSize, end);
      end = field(found, end);
      end = field(ttl, end);
      end = field(resultCount, end);
      length = Math.max(end, start);
      put(' ');
      return this;
    }

    /** Appends {@code ,value} (a bare comma when it is -1); the length up to the last value written. */
    private int field(long value, int end) {
      put(',');
      if (value >= 0) {
        number(value);
        return length;
      }
      return end;
    }

    /** The key as ASCII bytes (the common case: copied as they are). */
    public Writer key(byte[] ascii, int keyLength) {
      number(keyLength);
      put(':');
      room(keyLength);
      System.arraycopy(ascii, 0, text, length, keyLength);
      length += keyLength;
      return this;
    }

    /** The key, or after it a namespace that is not its prefix, as text. */
    public Writer key(String key) {
      byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
      return key(utf8, utf8.length);
    }

    /** The namespace of a key whose {@link #attributes} said {@code -2}, after the key. */
    public Writer namespace(String namespace) {
      put(' ');
      return key(namespace);
    }

    /** Ends the line. */
    public Writer end() {
      put('\n');
      return this;
    }

    /** The lines written, and starts again. */
    public String take() {
      String out = new String(text, 0, length, StandardCharsets.UTF_8);
      clear();
      return out;
    }

    /**
     * The lines written, as UTF-8: the first {@link #length()} bytes, valid until the next write or {@link #clear}. A
     * reader that copies them needs no {@link #take}, whose text is two more copies of every byte (the string's, and
     * the encoder's back to UTF-8) and most of what key events allocated.
     */
    public byte[] utf8() {
      return text;
    }

    /** How many of {@link #utf8()}'s bytes are the lines written. */
    public int length() {
      return length;
    }

    /** Forgets the lines written, as {@link #take} does, without making their text. */
    public void clear() {
      length = 0;
      lines = 0;
    }

    private void room(int more) {
      if (length + more > text.length) {
        text = Arrays.copyOf(text, Math.max(text.length * 2, length + more));
      }
    }

    private void put(char c) {
      room(1);
      text[length++] = (byte) c;
    }

    /** A name {@link #plain} said is ASCII. */
    private void ascii(String s) {
      int n = s.length();
      room(n);
      for (int i = 0; i < n; i++) {
        text[length++] = (byte) s.charAt(i);
      }
    }

    /**
     * A signed decimal, as {@code Long.toString} writes it, digits written in place from the last, two at a time
     * (a line has half a dozen numbers; this is most of its cost after the key).
     */
    private void number(long value) {
      if (value < 0) {
        if (value == Long.MIN_VALUE) {
          ascii(Long.toString(value));
          return;
        }
        put('-');
        value = -value;
      }
      int n = 1;
      for (long bound = 10; n < 19 && value >= bound; bound *= 10) {
        n++;
      }
      room(n);
      length += n;
      int at = length;
      while (value >= 100) {
        int pair = (int) (value % 100) * 2;
        value /= 100;
        text[--at] = PAIRS[pair + 1];
        text[--at] = PAIRS[pair];
      }
      if (value >= 10) {
        text[--at] = PAIRS[(int) value * 2 + 1];
        text[--at] = PAIRS[(int) value * 2];
      } else {
        text[--at] = (byte) ('0' + value);
      }
    }

    /** A span id: its 64 bits as unpadded base64url, 11 characters, taken from the long itself. */
    private void id(long id) {
      room(11);
      for (int shift = 58; shift >= 0; shift -= 6) {
        text[length++] = BASE64URL[(int) (id >>> shift) & 0x3f];
      }
      text[length++] = BASE64URL[(int) (id << 2) & 0x3c]; // the last 4 bits, two zero bits after them
    }

    /** A trace id, its high half first: 128 bits as unpadded base64url, 22 characters. */
    private void id(long high, long low) {
      room(22);
      for (int shift = 58; shift >= 4; shift -= 6) {
        text[length++] = BASE64URL[(int) (high >>> shift) & 0x3f];
      }
      text[length++] = BASE64URL[(int) ((high & 0xf) << 2 | low >>> 62)]; // 4 bits of one half, 2 of the other
      for (int shift = 56; shift >= 2; shift -= 6) {
        text[length++] = BASE64URL[(int) (low >>> shift) & 0x3f];
      }
      text[length++] = BASE64URL[(int) (low << 4) & 0x30]; // the last 2 bits, four zero bits after them
    }
  }

  private static boolean plain(String name) {
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '|' || c == '-'))) {
        return false;
      }
    }
    return true;
  }

  /** One command of an event, as read; a field the command's span would not have is null. */
  public static final class Line {
    public final String name;
    public final long end;
    public final long duration;
    public final String spanId;
    public final String traceId;
    public final String parentSpanId;
    public final String key;
    public final String namespace;
    public final Long valueSize;
    public final Boolean found;
    public final Long ttl;
    public final Long resultCount;

    Line(String name, long end, long duration, String spanId, String traceId, String parentSpanId, String key, String namespace,
        Long valueSize, Boolean found, Long ttl, Long resultCount) {
      this.name = name;
      this.end = end;
      this.duration = duration;
      this.spanId = spanId;
      this.traceId = traceId;
      this.parentSpanId = parentSpanId;
      this.key = key;
      this.namespace = namespace;
      this.valueSize = valueSize;
      this.found = found;
      this.ttl = ttl;
      this.resultCount = resultCount;
    }

    /** The line's key facts as the attributes a span of the command carries ({@code memory.key}, …), those it has. */
    public java.util.Map<String, Object> attributes() {
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("memory.key", key);
      String[] names = {"memory.namespace", "memory.value_size", "memory.found", "memory.ttl", "memory.result_count"};
      Object[] values = {namespace, valueSize, found, ttl, resultCount};
      for (int i = 0; i < names.length; i++) {
        if (values[i] != null) {
          out.put(names[i], values[i]);
        }
      }
      return out;
    }
  }

  /** A pipeline or transaction of a {@link #BATCHES} event: its span, and the commands its span lists. */
  public static final class Batch {
    /** The batch span's name, times and ids; its {@code key} and key attributes are null. */
    public final Line span;
    /** Its commands, each with the batch's ids and times. */
    public final List<Line> commands;

    Batch(Line span, List<Line> commands) {
      this.span = span;
      this.commands = commands;
    }
  }

  /**
   * The batches in {@code text}, the {@link #BATCHES} lines of an event at {@code time}; ids as lowercase hex.
   *
   * @throws IllegalArgumentException naming what is wrong, when a line does not follow the form
   */
  public static List<Batch> readBatches(String text, long time) {
    return KeyEventLineReader.readBatches(text, time);
  }

  /**
   * The commands in {@code text}, the lines of an event at {@code time}; ids as lowercase hex.
   *
   * @throws IllegalArgumentException naming what is wrong, when a line does not follow the form (or its first line
   *     has no context)
   */
  public static List<Line> read(String text, long time) {
    return KeyEventLineReader.read(text, time);
  }
}
