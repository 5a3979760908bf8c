package io.memtrace.agent.bootstrap;

import java.nio.ByteBuffer;

/**
 * Measures one RESP2/RESP3 reply at the start of a buffer into a {@link MeasuredReply}, reading
 * only type bytes and length headers (a value is skipped by its length, never read). Runs on the
 * thread that reads the reply (a Netty event loop), before the client decodes it.
 */
public final class RespReplies {

  /** Deeper aggregates are not measured (a reply from Redis is never nested this deep). */
  static final int MAX_DEPTH = 32;
  /** How much of an error reply's text is kept. */
  public static final int MAX_ERROR_TEXT = 256;

  private RespReplies() {
  }

  /**
   * The reply that starts at {@code buffer}'s position, or null when the bytes up to its limit do
   * not hold a whole reply or are not RESP. The buffer's position is left as it was.
   */
  public static MeasuredReply measure(ByteBuffer buffer) {
    Scan scan = new Scan(buffer);
    try {
      return scan.top() ? new MeasuredReply(scan.any ? scan.bytes : -1, scan.present, scan.counted, scan.firstCount,
          scan.errorText) : null;
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      return null;
    }
  }

  /** One walk over a reply; its fields are what the walk found. */
  private static final class Scan {
    private final ByteBuffer in;
    private int at;
    long bytes;
    boolean any;
    boolean present;
    Boolean counted;
    Boolean firstCount;
    String errorText;

    Scan(ByteBuffer in) {
      this.in = in;
      this.at = in.position();
    }

    /** The top-level reply. */
    boolean top() {
      byte type = in.get(at);
      if (isAggregate(type)) {
        at++;
        long size = number();
        long elements = type == '%' ? size * 2 : size;
        present = size > 0 && type == '%';
        counted = Boolean.FALSE; // an aggregate without a positive integer counted nothing
        for (long i = 0; i < elements; i++) {
          byte itemType = in.get(at);
          boolean nil = itemType == '_' || ((itemType == '$' || itemType == '*') && in.get(at + 1) == '-');
          if (!nil) {
            present = true;
          }
          if (itemType == ':') {
            boolean positive = integerAt() > 0;
            counted = counted == Boolean.TRUE || positive;
            if (i == 0) {
              firstCount = positive;
            }
          }
          if (!element(0)) {
            return false;
          }
        }
        return true;
      }
      boolean nil = type == '_' || ((type == '$' || type == '*') && in.get(at + 1) == '-');
      present = !nil;
      if (type == '-') {
        errorText = line(at + 1);
      }
      if (type == ':') {
        counted = integerAt() > 0;
      }
      return element(0);
    }

    /** Skips one element, adding up its data; false when the reply is cut short or not RESP. */
    boolean element(int depth) {
      if (depth > MAX_DEPTH) {
        return false;
      }
      byte type = in.get(at++);
      switch (type) {
        case '$':
        case '=':
        case '!': {
          long length = number();
          if (length >= 0) {
            if (at + length + 2 > in.limit()) {
              return false;
            }
            at += (int) length + 2;
            if (type != '!') {
              add(type == '=' ? Math.max(0, length - 4) : length); // '=' starts with a 4-byte format
            }
          }
          return true;
        }
        case '+': {
          int start = at;
          skipLine();
          add(at - 2 - start);
          return true;
        }
        case '-':
        case ',':
        case '(':
        case '#':
        case '_':
          skipLine();
          return true;
        case ':':
          number();
          return true;
        case '*':
        case '~':
        case '>':
        case '%':
        case '|': {
          long size = number();
          long elements = type == '%' || type == '|' ? size * 2 : size;
          for (long i = 0; i < elements; i++) {
            if (!element(depth + 1)) {
              return false;
            }
          }
          return true;
        }
        default:
          return false;
      }
    }

    private void add(long length) {
      bytes += length;
      any = true;
    }

    private static boolean isAggregate(byte type) {
      return type == '*' || type == '~' || type == '>' || type == '%';
    }

    /** The integer of the element at {@code at} (a ':' line), without moving. */
    private long integerAt() {
      int saved = at;
      at++;
      long value = number();
      at = saved;
      return value;
    }

    /** The decimal number up to CRLF at {@code at}; moves past the CRLF. */
    private long number() {
      boolean negative = false;
      long value = 0;
      int digits = 0;
      while (true) {
        byte b = in.get(at++);
        if (b == '\r') {
          if (in.get(at++) != '\n' || digits == 0) {
            throw new NumberFormatException();
          }
          return negative ? -value : value;
        }
        if (b == '-' && digits == 0 && !negative) {
          negative = true;
        } else if (b >= '0' && b <= '9' && digits < 19) {
          value = value * 10 + (b - '0');
          digits++;
        } else {
          throw new NumberFormatException();
        }
      }
    }

    /** The text from {@code from} up to CR (at most {@link #MAX_ERROR_TEXT} characters), as ASCII; nothing moves. */
    private String line(int from) {
      int end = from;
      while (in.get(end) != '\r' && end - from < MAX_ERROR_TEXT) {
        end++;
      }
      byte[] text = new byte[end - from];
      for (int i = 0; i < text.length; i++) {
        text[i] = in.get(from + i);
      }
      return new String(text, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void skipLine() {
      while (in.get(at++) != '\r') {
        // up to CR
      }
      if (in.get(at++) != '\n') {
        throw new NumberFormatException();
      }
    }
  }
}
