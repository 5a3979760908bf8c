package io.memtrace.collector.server.http;

import com.sun.net.httpserver.Headers;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The answer of a {@link NettyExchange}, framed as {@code sendResponseHeaders} asked: a fixed
 * length, chunked (length 0), or none (-1). Bytes are gathered up to {@link #BUFFER}, the head goes
 * with the first of them, so a small answer is one write; {@link #flush} sends at once, which is
 * how a handler finds out that its client has gone. A handler whose client reads too slowly
 * waits, up to the body timeout, and then fails.
 */
final class NettyAnswer extends OutputStream {

  static final int BUFFER = 64 * 1024;

  private final FrontChannel connection;
  private final long length;
  private final boolean closeAfter;
  private HttpResponse head;
  private byte[] buffer;
  private int buffered;
  private long written;
  private boolean closed;

  /** {@code length} as in {@code sendResponseHeaders}: above 0 fixed, 0 chunked, -1 none. */
  NettyAnswer(FrontChannel connection, int code, Headers headers, long length, boolean closeAfter) {
    this.connection = connection;
    this.length = length;
    this.closeAfter = closeAfter;
    this.head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
    HttpHeaders out = head.headers();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      String name = e.getKey();
      if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
          || name.equalsIgnoreCase("Connection")) {
        continue; // the framing is the front's
      }
      for (String value : e.getValue()) {
        out.add(name, value.replace("\r", "").replace("\n", "")); // a handler's value never splits the head
      }
    }
    if (length == 0) {
      out.set("Transfer-Encoding", "chunked");
    } else {
      out.set("Content-Length", Math.max(length, 0));
    }
    if (closeAfter) {
      out.set("Connection", "close");
    }
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

  /** Ends the answer; one shorter than announced ends the connection, as the client cannot frame the next. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    emit(true);
  }

  private void emit(boolean last) throws IOException {
    Channel channel = connection.channel();
    awaitRoom(channel);
    byte[] bytes = buffered == buffer.length ? buffer : Arrays.copyOf(buffer, buffered);
    if (buffered == buffer.length) {
      buffer = new byte[buffer.length]; // the full one is handed over, not copied
    }
    buffered = 0;
    HttpObject message;
    if (head != null && last) {
      message = new DefaultFullHttpResponse(head.protocolVersion(), head.status(), Unpooled.wrappedBuffer(bytes),
          head.headers(), HttpHeaders.EMPTY_HEADERS);
    } else {
      if (head != null) {
        channel.write(head);
      }
      message = last ? new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes))
          : new DefaultHttpContent(Unpooled.wrappedBuffer(bytes));
    }
    head = null;
    boolean close = closeAfter || length > 0 && written < length;
    var sent = channel.writeAndFlush(message);
    if (last) {
      sent.addListener(f -> connection.answered(f.isSuccess(), close));
    }
  }

  /** Waits, at most the body timeout, until the client has read enough of what is queued. */
  private void awaitRoom(Channel channel) throws IOException {
    long until = System.nanoTime() + connection.bodyTimeoutNanos();
    synchronized (connection.writable) {
      while (channel.isActive() && !channel.isWritable()) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          channel.close();
          throw new IOException("the client does not read its answer");
        }
        try {
          connection.writable.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while the client read its answer");
        }
      }
    }
    if (!channel.isActive()) {
      throw new IOException("the client closed the connection");
    }
  }
}
