package io.memtrace.common;

import java.nio.charset.StandardCharsets;

/**
 * The agent's side of {@link KeyEventLines}: writes the lines of one event, in the form that class gives, and is reused
 * after {@link #take} (or {@link #clear}). One thread. It keeps what the form leaves out of a line (the previous line's
 * end, trace and parent) and whether each command name may be written as it is; the text itself is kept as UTF-8 bytes
 * in a {@link LineBuffer}, not in a {@code StringBuilder}: this runs for every compressed command, and a byte a
 * character is the most of its cost. {@code KeyEventLineReader} is the collector's side.
 */
public final class KeyEventLineWriter {

  private final LineBuffer out = new LineBuffer();
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
  public KeyEventLineWriter command(String name, long end, long duration, long spanId, long traceIdHigh,
      long traceIdLow, long parentSpanId) {
    if (lines == 0) {
      first = end;
      previousEnd = end;
    }
    out.number(end - previousEnd);
    out.put(' ');
    out.number(Math.max(0, duration));
    out.put(' ');
    previousEnd = end;
    out.id(spanId);
    out.put(' ');
    if (lines == 0 || traceIdHigh != traceHigh || traceIdLow != traceLow || parentSpanId != parent) {
      out.id(traceIdHigh, traceIdLow);
      if (parentSpanId != 0) {
        out.put('.');
        out.id(parentSpanId);
      }
      traceHigh = traceIdHigh;
      traceLow = traceIdLow;
      parent = parentSpanId;
    }
    out.put(' ');
    name(name);
    out.put(' ');
    lines++;
    return this;
  }

  private void name(String name) {
    if (plainName(name)) {
      out.ascii(name);
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
   * Writes a batch's line (a {@link KeyEventLines#BATCHES} writer): its span's times, ids and name; its commands
   * follow, each {@link #batchCommand}, then as a command's line from {@link #attributes} on.
   */
  public KeyEventLineWriter batch(String name, long end, long duration, long spanId, long traceIdHigh,
      long traceIdLow, long parentSpanId) {
    command(name, end, duration, spanId, traceIdHigh, traceIdLow, parentSpanId);
    out.replaceLast('\n');
    return this;
  }

  /** Starts the line of a command of the batch written last. */
  public KeyEventLineWriter batchCommand(String name) {
    out.put('+');
    out.put(' ');
    name(name);
    out.put(' ');
    lines++;
    return this;
  }

  /**
   * The key attributes; -1 (and for {@code namespace} also -2, given after the key) where the span has none.
   *
   * @param namespace the UTF-8 length of the key's prefix that is its namespace; -2: {@link #namespace} follows
   * @param found 1 or 0
   */
  public KeyEventLineWriter attributes(int namespace, long valueSize, int found, long ttl, long resultCount) {
    int start = out.length();
    if (namespace == -2) {
      out.put('*');
    } else if (namespace >= 0) {
      out.number(namespace);
    }
    int end = out.length();
    end = field(valueSize, end);
    end = field(found, end);
    end = field(ttl, end);
    end = field(resultCount, end);
    out.truncate(Math.max(end, start));
    out.put(' ');
    return this;
  }

  /** Appends {@code ,value} (a bare comma when it is -1); the length up to the last value written. */
  private int field(long value, int end) {
    out.put(',');
    if (value >= 0) {
      out.number(value);
      return out.length();
    }
    return end;
  }

  /** The key as ASCII bytes (the common case: copied as they are). */
  public KeyEventLineWriter key(byte[] ascii, int keyLength) {
    out.number(keyLength);
    out.put(':');
    out.put(ascii, keyLength);
    return this;
  }

  /** The key, or after it a namespace that is not its prefix, as text. */
  public KeyEventLineWriter key(String key) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    return key(utf8, utf8.length);
  }

  /** The namespace of a key whose {@link #attributes} said {@code -2}, after the key. */
  public KeyEventLineWriter namespace(String namespace) {
    out.put(' ');
    return key(namespace);
  }

  /** Ends the line. */
  public KeyEventLineWriter end() {
    out.put('\n');
    return this;
  }

  /** The lines written, and starts again. */
  public String take() {
    String text = new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8);
    clear();
    return text;
  }

  /**
   * The lines written, as UTF-8: the first {@link #length()} bytes, valid until the next write or {@link #clear}. A
   * reader that copies them needs no {@link #take}, whose text is two more copies of every byte (the string's, and
   * the encoder's back to UTF-8) and most of what key events allocated.
   */
  public byte[] utf8() {
    return out.bytes();
  }

  /** How many of {@link #utf8()}'s bytes are the lines written. */
  public int length() {
    return out.length();
  }

  /** Forgets the lines written, as {@link #take} does, without making their text. */
  public void clear() {
    out.truncate(0);
    lines = 0;
  }

  /**
   * Whether a command's name may be written as it is: letters, digits and {@code _.|-}, ASCII, not starting with a
   * digit (else it is written as {@code length:name}).
   */
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
}
