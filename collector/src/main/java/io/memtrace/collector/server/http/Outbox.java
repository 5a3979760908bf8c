package io.memtrace.collector.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The bytes of an answer on their way out: handler threads add them, the front's thread writes
 * them. Adding fails once the connection is closed, which is how a handler learns that its
 * client has gone; it waits while more than {@link #HIGH_WATER} bytes are queued unread.
 */
final class Outbox {

  private static final long HIGH_WATER = 1024 * 1024;

  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private long queued;
  private boolean answered;
  private boolean closeAfter;
  private boolean closed;

  /** Queues bytes; {@code last} marks the end of the answer, {@code close} that the connection ends after it. */
  synchronized void add(ByteBuffer bytes, boolean last, boolean close) throws IOException {
    if (closed) {
      throw new IOException("the client closed the connection");
    }
    queue.add(bytes);
    queued += bytes.remaining();
    answered |= last;
    closeAfter |= close;
  }

  /** A handler's thread: waits, at most {@code nanos}, until the client has read enough of the answer. */
  synchronized void awaitRoom(long nanos) throws IOException {
    long until = System.nanoTime() + nanos;
    while (queued > HIGH_WATER && !closed) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        throw new IOException("the client does not read its answer");
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the client read its answer");
      }
    }
    if (closed && !queue.isEmpty()) {
      throw new IOException("the client closed the connection");
    }
  }

  /**
   * The front's thread: writes what the socket takes. Returns -1 when everything queued is out,
   * else the bytes written this time (0 when the client reads nothing).
   */
  long writeTo(SocketChannel channel) throws IOException {
    long written = 0;
    while (true) {
      ByteBuffer next;
      synchronized (this) {
        next = closed ? null : queue.peek();
      }
      if (next == null) {
        return -1;
      }
      int n = channel.write(next);
      written += n;
      synchronized (this) {
        queued -= n;
        if (!next.hasRemaining()) {
          queue.poll();
        }
        notifyAll();
      }
      if (next.hasRemaining()) {
        return written;
      }
    }
  }

  synchronized boolean answered() {
    return answered;
  }

  synchronized boolean closeAfter() {
    return closeAfter;
  }

  /** Ready for the next request on the same connection. */
  synchronized void reset() {
    answered = false;
  }

  synchronized void close() {
    closed = true;
    queue.clear();
    queued = 0;
    notifyAll();
  }

  synchronized boolean closed() {
    return closed;
  }
}
