package io.memtrace.collector.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The bytes of an answer on their way out: a handler's thread writes what the socket takes at
 * once, the front's thread the rest. Adding fails once the connection is closed, which is how a
 * handler learns that its client has gone; it waits while more than {@link #HIGH_WATER} bytes
 * are queued unread. Writes happen under this object's lock, so they never interleave.
 */
final class Outbox {

  private static final long HIGH_WATER = 1024 * 1024;

  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private long queued;
  private boolean answered;
  private boolean closeAfter;
  private boolean closed;
  /** A write on a handler's thread failed; the front's thread closes the connection. */
  private boolean broken;

  /**
   * Writes the bytes at once when nothing is queued before them, and queues what the socket did
   * not take; {@code last} marks the end of the answer, {@code close} that the connection ends
   * after it. Writing here saves a client the wait for the front's thread, which matters on a
   * busy machine. Returns whether the front's thread has work: bytes left, or the answer complete.
   */
  synchronized boolean add(SocketChannel channel, ByteBuffer bytes, boolean last, boolean close) throws IOException {
    if (closed || broken) {
      throw new IOException("the client closed the connection");
    }
    if (queue.isEmpty()) {
      try {
        channel.write(bytes);
      } catch (IOException e) {
        broken = true;
        throw e;
      }
    }
    if (bytes.hasRemaining()) {
      queue.add(bytes);
      queued += bytes.remaining();
    }
    answered |= last;
    closeAfter |= close;
    return !queue.isEmpty() || last;
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
  synchronized long writeTo(SocketChannel channel) throws IOException {
    if (broken) {
      throw new IOException("a write on a handler's thread failed");
    }
    long written = 0;
    try {
      while (!closed && !queue.isEmpty()) {
        ByteBuffer next = queue.peek();
        int n = channel.write(next);
        written += n;
        queued -= n;
        if (next.hasRemaining()) {
          return written;
        }
        queue.poll();
      }
      return -1;
    } finally {
      notifyAll();
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
