package io.memtrace.bench.overhead;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * One HTTP/1.1 connection's input, for {@link DiscardSink}: header lines, and bodies ({@code Content-Length} or
 * chunked) read into a buffer reused request after request.
 */
final class HttpRequestInput implements AutoCloseable {

  private final InputStream in;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  byte[] body = new byte[256 * 1024];
  private final StringBuilder line = new StringBuilder(128);

  HttpRequestInput(InputStream in) {
    this.in = in;
  }

  private boolean fill() throws IOException {
    pos = 0;
    limit = in.read(buf);
    return limit > 0;
  }

  private int read() throws IOException {
    if (pos >= limit && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xFF;
  }

  /** The next line without its CRLF, or {@code null} at the end of the stream. */
  String line() throws IOException {
    line.setLength(0);
    int c = read();
    if (c < 0) {
      return null;
    }
    while (c >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
      c = read();
    }
    return line.toString();
  }

  /** Reads {@code length} bytes of body into {@link #body} (grown if needed); returns the length. */
  int body(long length) throws IOException {
    if (length > Integer.MAX_VALUE - 16) {
      throw new IOException("body of " + length + " bytes is too large");
    }
    ensure((int) length);
    readInto(0, (int) length);
    return (int) length;
  }

  int chunkedBody() throws IOException {
    int size = 0;
    while (true) {
      String sizeLine = line();
      if (sizeLine == null) {
        throw new EOFException("connection closed inside a chunked body");
      }
      int semicolon = sizeLine.indexOf(';');
      int chunk = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (chunk == 0) {
        for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
          // trailers are ignored
        }
        return size;
      }
      ensure(size + chunk);
      readInto(size, chunk);
      size += chunk;
      line(); // the CRLF after the chunk
    }
  }

  private void ensure(int capacity) {
    if (capacity > body.length) {
      body = Arrays.copyOf(body, Math.max(capacity, body.length * 2));
    }
  }

  private void readInto(int offset, int length) throws IOException {
    int buffered = Math.min(limit - pos, length);
    if (buffered > 0) {
      System.arraycopy(buf, pos, body, offset, buffered);
      pos += buffered;
    }
    int at = offset + buffered;
    int end = offset + length;
    while (at < end) {
      int n = in.read(body, at, end - at);
      if (n < 0) {
        throw new EOFException("connection closed inside a body");
      }
      at += n;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
