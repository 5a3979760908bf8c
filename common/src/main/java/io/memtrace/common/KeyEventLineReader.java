package io.memtrace.common;

import io.memtrace.common.KeyEventLines.Line;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The collector's side of {@link KeyEventLines}: reads an event's lines back into {@link Line}s, one cursor over the
 * text's UTF-8 bytes, and names the byte where a line leaves the form.
 */
final class KeyEventLineReader {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private KeyEventLineReader() {
  }

  /** {@link KeyEventLines#read}. */
  static List<Line> read(String text, long time) {
    Cursor c = new Cursor(text.getBytes(StandardCharsets.UTF_8));
    List<Line> out = new ArrayList<>();
    Head head = new Head(time);
    while (c.more()) {
      head.read(c);
      c.expect(' ');
      out.add(command(c, head.name, head));
    }
    return out;
  }

  /** {@link KeyEventLines#readBatches}. */
  static List<KeyEventLines.Batch> readBatches(String text, long time) {
    Cursor c = new Cursor(text.getBytes(StandardCharsets.UTF_8));
    List<KeyEventLines.Batch> out = new ArrayList<>();
    Head head = new Head(time);
    while (c.more()) {
      head.read(c);
      c.expect('\n');
      Line span = new Line(head.name, head.end, head.duration, head.spanId, head.trace, head.parent, null, null, null,
          null, null, null);
      List<Line> commands = new ArrayList<>();
      while (c.peek() == '+') {
        c.expect('+');
        c.expect(' ');
        String name = c.name();
        c.expect(' ');
        commands.add(command(c, name, head));
      }
      out.add(new KeyEventLines.Batch(span, commands));
    }
    return out;
  }

  /** A line's times, ids and name, the times and context carried from the line before. */
  private static final class Head {
    long end;
    long duration;
    String spanId;
    String trace;
    String parent;
    String name;

    Head(long time) {
      end = time;
    }

    void read(Cursor c) {
      end += c.number(' ');
      duration = c.number(' ');
      spanId = c.id(' ', 8);
      c.expect(' ');
      if (c.peek() == ' ') {
        if (trace == null) {
          throw c.wrong("a first line without its trace id");
        }
      } else {
        int dot = c.indexOf('.', ' ');
        if (dot < 0) {
          trace = c.id(' ', 16);
          parent = null;
        } else {
          trace = c.id('.', 16);
          parent = c.id(' ', 8);
        }
      }
      c.expect(' ');
      name = c.name();
    }
  }

  /** The rest of a command's line, from its key attributes, with {@code head}'s times and ids. */
  private static Line command(Cursor c, String name, Head head) {
    String[] fields = c.until(' ').split(",", -1);
    c.expect(' ');
    String key = c.text();
    String namespace = null;
    if (!fields[0].isEmpty()) {
      if (fields[0].equals("*")) {
        c.expect(' ');
        namespace = c.text();
      } else {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int n = Integer.parseInt(fields[0]);
        if (n > k.length) {
          throw c.wrong("a namespace longer than its key");
        }
        namespace = new String(k, 0, n, StandardCharsets.UTF_8);
      }
    }
    c.expect('\n');
    Long found = field(fields, 2);
    return new Line(name, head.end, head.duration, head.spanId, head.trace, head.parent, key, namespace,
        field(fields, 1), found == null ? null : found != 0, field(fields, 3), field(fields, 4));
  }

  private static Long field(String[] fields, int i) {
    return i < fields.length && !fields[i].isEmpty() ? Long.valueOf(fields[i]) : null;
  }

  private static final class Cursor {
    private final byte[] b;
    private int pos;

    Cursor(byte[] b) {
      this.b = b;
    }

    boolean more() {
      return pos < b.length;
    }

    /** A command's or batch's name: as it is, or as {@code length:name} when it starts with a digit. */
    String name() {
      return peek() >= '0' && peek() <= '9' ? text() : until(peek() == -1 ? ' ' : nameEnd());
    }

    private char nameEnd() {
      for (int i = pos; i < b.length; i++) {
        if (b[i] == ' ' || b[i] == '\n') {
          return (char) b[i];
        }
      }
      return ' ';
    }

    int peek() {
      return pos < b.length ? b[pos] : -1;
    }

    void expect(char ch) {
      if (peek() != ch) {
        throw wrong("'" + (ch == '\n' ? "\\n" : ch) + "' expected");
      }
      pos++;
    }

    int indexOf(char ch, char before) {
      for (int i = pos; i < b.length && b[i] != before; i++) {
        if (b[i] == ch) {
          return i;
        }
      }
      return -1;
    }

    /** The ASCII text up to {@code stop} (not taken). */
    String until(char stop) {
      int from = pos;
      while (pos < b.length && b[pos] != stop) {
        pos++;
      }
      if (pos >= b.length) {
        throw wrong("'" + stop + "' expected");
      }
      return new String(b, from, pos - from, StandardCharsets.US_ASCII);
    }

    long number(char stop) {
      String digits = until(stop);
      pos++;
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw wrong("a number expected, not '" + digits + "'");
      }
    }

    String id(char stop, int bytes) {
      String text = until(stop);
      if (stop != ' ') {
        pos++;
      }
      byte[] raw;
      try {
        raw = Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        raw = new byte[0];
      }
      if (raw.length != bytes || text.length() != (bytes * 8 + 5) / 6) {
        throw wrong("an id of " + bytes + " bytes in base64url expected, not '" + text + "'");
      }
      StringBuilder hex = new StringBuilder(bytes * 2);
      for (byte x : raw) {
        hex.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
      }
      return hex.toString();
    }

    /** {@code length:text}, length in UTF-8 bytes. */
    String text() {
      int length = (int) number(':');
      if (length < 0 || pos + length > b.length) {
        throw wrong("a text of " + length + " bytes runs past the end");
      }
      String s = new String(b, pos, length, StandardCharsets.UTF_8);
      pos += length;
      return s;
    }

    IllegalArgumentException wrong(String what) {
      return new IllegalArgumentException(KeyEventLines.ATTRIBUTE + ": " + what + " at byte " + pos);
    }
  }
}
