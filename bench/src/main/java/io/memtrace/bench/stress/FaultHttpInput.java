package io.memtrace.bench.stress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The input side of one HTTP/1.1 connection, client or upstream: lines and whole bodies read through
 * one buffer, the body landing in an array reused message after message, because the proxy shares
 * two cores with the application it measures and should not churn garbage per export.
 */
final class FaultHttpInput {

  /** Longer than any header line an OTLP exporter sends; beyond it the peer is not speaking HTTP. */
  private static final int MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final byte[] buf = new byte[16 * 1024];
  private int pos;
  private int limit;
  private final StringBuilder line = new StringBuilder(128);
  private byte[] body = new byte[64 * 1024];
  private int bodyLength;

  FaultHttpInput(InputStream in) {
    this.in = in;
  }

  /** The body of the last message read by {@link #readBody}; valid until the next call. */
  byte[] body() {
    return body;
  }

  int bodyLength() {
    return bodyLength;
  }

  /** The next line without its line end, or {@code null} when the stream ends before any byte of it. */
  String line() throws IOException {
    line.setLength(0);
    int c = read();
    if (c < 0) {
      return null;
    }
    for (; c >= 0 && c != '\n'; c = read()) {
      if (c != '\r') {
        if (line.length() >= MAX_LINE) {
          throw new IOException("header line longer than " + MAX_LINE);
        }
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /**
   * Reads the body that {@code head} frames: chunked, {@code Content-Length}, or (an answer with
   * neither, {@code untilClose}) everything up to the end of the stream.
   */
  void readBody(FaultHead head, boolean untilClose) throws IOException {
    bodyLength = 0;
    if (head.chunked) {
      readChunks();
    } else if (head.contentLength >= 0) {
      if (head.contentLength > Integer.MAX_VALUE - 16) {
        throw new IOException("body of " + head.contentLength + " bytes is too large");
      }
      append((int) head.contentLength, true);
    } else if (untilClose) {
      while (append(buf.length, false) > 0) {
        // until the peer closes: the only framing an answer without length has
      }
    }
  }

  private void readChunks() throws IOException {
    while (true) {
      String sizeLine = line();
      if (sizeLine == null) {
        throw new EOFException("connection closed inside a chunked body");
      }
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      int size = Integer.parseInt(hex, 16);
      if (size == 0) {
        for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
          // trailers carry nothing an OTLP endpoint uses
        }
        return;
      }
      append(size, true);
      line(); // the line end that closes each chunk
    }
  }

  /** Appends up to {@code length} bytes to the body (exactly, when {@code exact}); returns how many. */
  private int append(int length, boolean exact) throws IOException {
    if (bodyLength + length > body.length) {
      body = Arrays.copyOf(body, Math.max(bodyLength + length, body.length * 2));
    }
    int buffered = Math.min(limit - pos, length);
    System.arraycopy(buf, pos, body, bodyLength, buffered);
    pos += buffered;
    int done = buffered;
    while (done < length && (exact || done == 0)) {
      int n = in.read(body, bodyLength + done, length - done);
      if (n < 0) {
        if (exact) {
          throw new EOFException("connection closed inside a body");
        }
        break;
      }
      done += n;
    }
    bodyLength += done;
    return done;
  }

  /**
   * The next byte without taking it, or -1 at the end of the stream; a read timeout set on the
   * socket surfaces as its exception, leaving the buffer as it was.
   */
  int peek() throws IOException {
    if (pos < limit) {
      return buf[pos] & 0xFF;
    }
    int n = in.read(buf);
    pos = 0;
    limit = Math.max(0, n);
    return n > 0 ? buf[0] & 0xFF : -1;
  }

  private int read() throws IOException {
    if (pos >= limit) {
      pos = 0;
      limit = Math.max(0, in.read(buf));
      if (limit == 0) {
        return -1;
      }
    }
    return buf[pos++] & 0xFF;
  }
}
