package io.memtrace.collector.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of an answer, framed as {@code sendResponseHeaders} asked: a fixed length, chunked
 * (length 0), or none (-1). Bytes are gathered up to {@link #BUFFER} and handed to the connection,
 * the head with the first of them, so a small answer leaves in one write; {@link #flush} sends at
 * once, which is how a handler finds out that its client has gone (the write fails).
 */
final class ResponseStream extends OutputStream {

  static final int BUFFER = 64 * 1024;
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final FrontConnection connection;
  private final long length;
  private final boolean closeAfter;
  private byte[] head;
  private final byte[] buffer;
  private int buffered;
  private long written;
  private boolean closed;

  /** {@code length} as in {@code sendResponseHeaders}: above 0 fixed, 0 chunked, -1 none. */
  ResponseStream(FrontConnection connection, byte[] head, long length, boolean closeAfter) {
    this.connection = connection;
    this.head = head;
    this.length = length;
    this.closeAfter = closeAfter;
    this.buffer = new byte[length < 0 ? 0 : (int) Math.min(BUFFER, length == 0 ? BUFFER : length)];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("the answer is complete");
    }
    if (length < 0 && len > 0) {
      throw new IOException("no body may follow sendResponseHeaders(code, -1)");
    }
    if (length > 0 && written + len > length) {
      throw new IOException("more bytes than the " + length + " announced");
    }
    written += len;
    while (len > 0) {
      int n = Math.min(len, buffer.length - buffered);
      System.arraycopy(b, off, buffer, buffered, n);
      buffered += n;
      off += n;
      len -= n;
      if (buffered == buffer.length) {
        emit(false);
      }
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!closed && (buffered > 0 || head != null)) {
      emit(false);
    }
  }

  /** Ends the answer; an answer shorter than announced closes the connection, as the client cannot frame the next. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    emit(true);
  }

  private void emit(boolean last) throws IOException {
    boolean chunked = length == 0;
    int size = (head == null ? 0 : head.length) + buffered + (chunked && buffered > 0 ? 12 : 0)
        + (chunked && last ? LAST_CHUNK.length : 0);
    ByteBuffer out = ByteBuffer.allocate(size);
    if (head != null) {
      out.put(head);
      head = null;
    }
    if (chunked && buffered > 0) {
      out.put((Integer.toHexString(buffered) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    out.put(buffer, 0, buffered);
    if (chunked && buffered > 0) {
      out.put((byte) '\r').put((byte) '\n');
    }
    if (chunked && last) {
      out.put(LAST_CHUNK);
    }
    buffered = 0;
    out.flip();
    connection.send(out, last, last && (closeAfter || length > 0 && written < length));
  }
}
