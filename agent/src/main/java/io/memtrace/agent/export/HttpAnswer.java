package io.memtrace.agent.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * One HTTP/1.1 answer, as {@link PlainHttpPoster} reads it off its socket: the status, up to
 * {@link #MAX_KEPT_BODY} bytes of the body (for error messages), the wait its {@code Retry-After}
 * asks for and whether the connection may be kept. Anything that does not parse is a {@link Malformed} {@code IOException}, never a runtime
 * exception, so the poster always closes a connection whose stream position it no longer knows.
 */
final class HttpAnswer {

  /** The longest answer body kept (for error messages); the rest is read and dropped. */
  static final int MAX_KEPT_BODY = 4096;
  private static final int MAX_HEAD_LINE = 8192;
  /** 15 hex digits fit in a positive long; a longer chunk size is not one we could read anyway. */
  private static final int MAX_CHUNK_SIZE_DIGITS = 15;

  final int status;
  final byte[] body;
  final boolean keepAlive;
  /**
   * The wait the first {@code Retry-After} header asks for, in milliseconds from when the answer was
   * read, or {@link RetryAfter#NONE} without one or when it could not be read.
   */
  final long retryAfterMillis;

  private HttpAnswer(int status, byte[] body, boolean keepAlive, long retryAfterMillis) {
    this.status = status;
    this.body = body;
    this.keepAlive = keepAlive;
    this.retryAfterMillis = retryAfterMillis;
  }

  /**
   * An answer another client read (the JDK's, for {@code https://}); its connection is that
   * client's affair. {@code retryAfter} is the header's value, or {@code null}.
   */
  static HttpAnswer of(int status, byte[] body, String retryAfter) {
    return new HttpAnswer(status, body == null ? new byte[0] : body, true,
        RetryAfter.millis(retryAfter, System.currentTimeMillis()));
  }

  /**
   * The endpoint answered, but not in HTTP/1.1 that can be followed. The request may have been
   * taken, so it is not sent again, and the connection is out of step, so it is not used again.
   */
  static final class Malformed extends IOException {
    Malformed(String message) {
      super(message);
    }
  }

  /** Reads answers from one connection's stream; {@link #started} tells whether a byte came. */
  static final class Reader {
    private final InputStream in;
    private boolean started;

    Reader(InputStream in) {
      this.in = in;
    }

    /** Whether a byte of the current answer has been read: before that, the request may be retried. */
    boolean started() {
      return started;
    }

    /** Reads one final answer (interim 1xx answers are skipped). */
    HttpAnswer read() throws IOException {
      started = false;
      HttpAnswer answer;
      do {
        answer = readOne();
      } while (answer == null);
      return answer;
    }

    /** One answer, or {@code null} for an interim one. */
    private HttpAnswer readOne() throws IOException {
      String statusLine = line();
      if (!statusLine.startsWith("HTTP/1.")) {
        throw new Malformed("not an HTTP answer: " + printable(statusLine));
      }
      int code = statusCode(statusLine);
      long contentLength = -1;
      boolean chunked = false;
      boolean close = statusLine.startsWith("HTTP/1.0");
      String retryAfter = null;
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          long length = contentLength(value);
          if (contentLength >= 0 && length != contentLength) {
            throw new Malformed("two different Content-Length headers: " + contentLength + " and " + length);
          }
          contentLength = length;
        } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
          chunked = true;
        } else if (name.equals("connection")) {
          close = value.equalsIgnoreCase("close");
        } else if (name.equals("retry-after") && retryAfter == null) {
          retryAfter = value;
        }
      }
      if (code < 200) {
        return null; // an interim answer, with no body: the real one follows
      }
      // an HTTP-date counts from when the head came, before any time spent reading a long body
      long retryAfterMillis = RetryAfter.millis(retryAfter, System.currentTimeMillis());
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      if (code == 204 || code == 304) {
        // no body, whatever the headers say (RFC 9112, 6.3)
        return new HttpAnswer(code, new byte[0], !close, retryAfterMillis);
      }
      if (chunked) {
        for (long size = chunkSize(line()); size > 0; size = chunkSize(line())) {
          read(size, kept);
          if (!line().isEmpty()) {
            throw new Malformed("a chunk is longer than its size says");
          }
        }
        while (!line().isEmpty()) {
          continue; // trailers are not used
        }
      } else if (contentLength >= 0) {
        read(contentLength, kept);
      } else {
        close = true; // the body runs to the end of the connection
        byte[] chunk = new byte[4096];
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
          keep(kept, chunk, n);
        }
      }
      return new HttpAnswer(code, kept.toByteArray(), !close, retryAfterMillis);
    }

    private void read(long length, ByteArrayOutputStream kept) throws IOException {
      byte[] chunk = new byte[(int) Math.min(4096, Math.max(1, length))];
      while (length > 0) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, length));
        if (n < 0) {
          throw new IOException("connection closed in the middle of an answer");
        }
        keep(kept, chunk, n);
        length -= n;
      }
    }

    private static void keep(ByteArrayOutputStream kept, byte[] chunk, int n) {
      if (kept.size() < MAX_KEPT_BODY) {
        kept.write(chunk, 0, Math.min(n, MAX_KEPT_BODY - kept.size()));
      }
    }

    private String line() throws IOException {
      StringBuilder text = new StringBuilder();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("connection closed before the answer ended");
        }
        started = true;
        if (c == '\n') {
          int end = text.length();
          if (end > 0 && text.charAt(end - 1) == '\r') {
            text.setLength(end - 1);
          }
          return text.toString();
        }
        if (text.length() >= MAX_HEAD_LINE) {
          throw new Malformed("HTTP header line longer than " + MAX_HEAD_LINE + " bytes");
        }
        text.append((char) c);
      }
    }
  }

  private static int statusCode(String statusLine) throws Malformed {
    // "HTTP/1.1 200 OK": three digits after the version and one space
    if (statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
      throw new Malformed("bad HTTP status line: " + printable(statusLine));
    }
    int code = 0;
    for (int i = 9; i < 12; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        throw new Malformed("bad HTTP status line: " + printable(statusLine));
      }
      code = code * 10 + (c - '0');
    }
    return code;
  }

  /** A Content-Length: decimal digits only (no sign, no spaces inside), within a long. */
  static long contentLength(String value) throws Malformed {
    if (value.isEmpty() || value.length() > 18) {
      throw new Malformed("bad Content-Length: '" + printable(value) + "'");
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new Malformed("bad Content-Length: '" + printable(value) + "'");
      }
      length = length * 10 + (c - '0');
    }
    return length;
  }

  /** A chunk-size line: hex digits, then optional extensions after ';'. */
  static long chunkSize(String line) throws Malformed {
    int end = line.indexOf(';');
    String digits = (end < 0 ? line : line.substring(0, end)).trim();
    if (digits.isEmpty() || digits.length() > MAX_CHUNK_SIZE_DIGITS) {
      throw new Malformed("bad chunk size: '" + printable(line) + "'");
    }
    long size = 0;
    for (int i = 0; i < digits.length(); i++) {
      int digit = Character.digit(digits.charAt(i), 16);
      if (digit < 0) {
        throw new Malformed("bad chunk size: '" + printable(line) + "'");
      }
      size = size * 16 + digit;
    }
    return size;
  }

  /** At most 100 characters, control characters as '?', for a message that names what came. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(text.length(), 100); i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    return text.length() > 100 ? out + "..." : out.toString();
  }
}
