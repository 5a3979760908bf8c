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
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    List<Line> out = new ArrayList<>();
    Cursor c = new Cursor(b);
    long end = time;
    String trace = null;
    String parent = null;
    while (c.pos < b.length) {
      end += c.number(' ');
      long duration = c.number(' ');
      String spanId = c.id(' ', 8);
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
      String name = c.peek() >= '0' && c.peek() <= '9' ? c.text() : c.until(' ');
      c.expect(' ');
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
      out.add(new Line(name, end, duration, spanId, trace, parent, key, namespace, field(fields, 1),
          found == null ? null : found != 0, field(fields, 3), field(fields, 4)));
    }
    return out;
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
