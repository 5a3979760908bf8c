package io.memtrace.collector.server.http;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The body of one request as the {@link HttpFront} receives it, held in memory up to {@code cap}
 * bytes: the route's limit plus one, so that a chunked body over the limit reaches the handler one
 * byte too long and the handler answers 413. Its memory comes out of the {@link MemoryBudget}
 * before it is received: all of a declared length at once, a chunked body in steps.
 */
final class BodyBuffer {

  private static final int STEP = 64 * 1024;

  private final int cap;
  private final MemoryBudget budget;
  private byte[] bytes = new byte[0];
  private int size;
  private long reserved;
  private boolean truncated;

  private BodyBuffer(int cap, MemoryBudget budget) {
    this.cap = cap;
    this.budget = budget;
  }

  /** Room for a body of {@code declared} bytes (or, chunked, a first step), or null when the budget cannot hold it now. */
  static BodyBuffer reserve(long declared, boolean chunked, long maxBody, MemoryBudget budget) {
    BodyBuffer body = new BodyBuffer((int) Math.min(maxBody + 1, Integer.MAX_VALUE - 16), budget);
    long first = chunked ? Math.min(body.cap, STEP) : Math.min(declared, body.cap);
    return body.grow(first) ? body : null;
  }

  /**
   * Appends what {@code content} holds, up to the cap; false when the budget cannot hold more
   * of a chunked body now. The caller still owns {@code content}.
   */
  boolean append(ByteBuf content) {
    int n = content.readableBytes();
    int taken = Math.min(cap - size, n);
    if (size + taken > bytes.length && !grow(Math.min(cap, Math.max(bytes.length * 2L, size + taken)) - bytes.length)) {
      return false;
    }
    content.getBytes(content.readerIndex(), bytes, size, taken);
    size += taken;
    truncated |= taken < n || size == cap;
    return true;
  }

  private boolean grow(long more) {
    if (more <= 0) {
      return true;
    }
    if (!budget.tryReserve(more)) {
      return false;
    }
    synchronized (this) {
      reserved += more;
    }
    bytes = Arrays.copyOf(bytes, (int) (bytes.length + more));
    return true;
  }

  /** Whether bytes past the cap were left unread, so the connection cannot carry another request. */
  boolean truncated() {
    return truncated;
  }

  byte[] bytes() {
    return bytes.length == size ? bytes : Arrays.copyOf(bytes, size);
  }

  /** Gives the reserved memory back; safe to call more than once, from any thread. */
  synchronized void release() {
    budget.release(reserved);
    reserved = 0;
  }
}
