package io.memtrace.collector.server.http;

/** Decodes a {@code Transfer-Encoding: chunked} body as it arrives, in any split of the bytes. */
final class ChunkedDecoder {

  private static final int MAX_LINE = 4096;

  private enum State { SIZE, DATA, DATA_END, TRAILER, DONE }

  private State state = State.SIZE;
  private final StringBuilder line = new StringBuilder();
  private long remaining;
  private int trailerBytes;

  boolean done() {
    return state == State.DONE;
  }

  /** Consumes from {@code buf[from, to)} into {@code body}; returns the bytes consumed. */
  int decode(byte[] buf, int from, int to, RequestBody body) throws HttpProblem {
    int i = from;
    while (i < to && state != State.DONE) {
      if (state == State.DATA) {
        int n = (int) Math.min(remaining, to - i);
        boolean more = body.append(buf, i, n);
        i += n;
        remaining -= n;
        if (!more) {
          return i - from;
        }
        if (remaining == 0) {
          state = State.DATA_END;
        }
        continue;
      }
      char c = (char) (buf[i++] & 0xff);
      if (c != '\n') {
        if (line.length() >= MAX_LINE) {
          throw new HttpProblem(400, "a chunk size or trailer line longer than " + MAX_LINE + " bytes");
        }
        line.append(c);
        continue;
      }
      String text = line.length() > 0 && line.charAt(line.length() - 1) == '\r'
          ? line.substring(0, line.length() - 1) : line.toString();
      line.setLength(0);
      endOfLine(text);
    }
    return i - from;
  }

  private void endOfLine(String text) throws HttpProblem {
    switch (state) {
      case SIZE:
        remaining = size(text);
        state = remaining == 0 ? State.TRAILER : State.DATA;
        break;
      case DATA_END:
        if (!text.isEmpty()) {
          throw new HttpProblem(400, "chunk data longer than its size");
        }
        state = State.SIZE;
        break;
      default: // TRAILER: fields are read and ignored, up to the empty line
        trailerBytes += text.length();
        if (trailerBytes > FrontLimits.MAX_HEAD_BYTES) {
          throw new HttpProblem(431, "chunked trailer fields too large");
        }
        if (text.isEmpty()) {
          state = State.DONE;
        }
    }
  }

  private static long size(String text) throws HttpProblem {
    int semicolon = text.indexOf(';');
    String hex = (semicolon < 0 ? text : text.substring(0, semicolon)).strip();
    if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new HttpProblem(400, "bad chunk size '" + text + "'");
    }
    try {
      return Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new HttpProblem(400, "bad chunk size '" + text + "'");
    }
  }
}
