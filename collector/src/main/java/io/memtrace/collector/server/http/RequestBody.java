package io.memtrace.collector.server.http;

import java.util.Arrays;

/**
 * The body of one request as it arrives, held in memory up to {@code cap} bytes (the route's
 * limit plus one, so that the handler sees that the limit was passed and answers 413). What
 * goes past the cap is never read: the connection closes after the answer. Its memory comes out
 * of the {@link MemoryBudget}, reserved before it is received.
 */
final class RequestBody {

  private static final int CHUNK_GROWTH = 64 * 1024;

  private final long declared;
  private final int cap;
  private final MemoryBudget budget;
  private final ChunkedDecoder chunks;
  private byte[] bytes;
  private int size;
  private long reserved;
  private boolean truncated;

  private RequestBody(long declared, boolean chunked, int cap, MemoryBudget budget) {
    this.declared = declared;
    this.cap = cap;
    this.budget = budget;
    this.chunks = chunked ? new ChunkedDecoder() : null;
  }

  /** A body framed by the head, or null when the budget cannot hold it now. */
  static RequestBody reserve(RequestHead head, long maxBody, MemoryBudget budget) {
    int cap = (int) Math.min(maxBody + 1, Integer.MAX_VALUE - 16);
    RequestBody body = new RequestBody(head.contentLength, head.chunked, cap, budget);
    long first = head.chunked ? Math.min(cap, CHUNK_GROWTH) : Math.min(head.contentLength, cap);
    if (!body.grow(first)) {
      return null;
    }
    return body;
  }

  /**
   * Takes body bytes from {@code buf[from, to)}; returns how many it consumed. Throws when the
   * chunked framing is broken or the budget cannot hold the next chunk.
   */
  int take(byte[] buf, int from, int to) throws HttpProblem {
    if (chunks != null) {
      return chunks.decode(buf, from, to, this);
    }
    int n = (int) Math.min(to - from, Math.min(declared, cap) - size);
    System.arraycopy(buf, from, bytes, size, n);
    size += n;
    truncated = declared > cap && size == cap;
    return n;
  }

  /** Appends decoded chunk data; false once the cap is reached, which ends the body there. */
  boolean append(byte[] buf, int from, int n) throws HttpProblem {
    int room = cap - size;
    int taken = Math.min(room, n);
    if (size + taken > bytes.length && !grow(Math.min(cap, Math.max(bytes.length * 2L, size + taken)) - bytes.length)) {
      throw new HttpProblem(503, "the collector holds too many request bodies at once; retry");
    }
    System.arraycopy(buf, from, bytes, size, taken);
    size += taken;
    truncated = taken < n || size == cap;
    return !truncated;
  }

  private boolean grow(long more) {
    if (more > 0 && !budget.tryReserve(more)) {
      return false;
    }
    reserved += Math.max(more, 0);
    bytes = bytes == null ? new byte[(int) more] : Arrays.copyOf(bytes, (int) (bytes.length + more));
    return true;
  }

  boolean complete() {
    return truncated || (chunks != null ? chunks.done() : size == declared);
  }

  /** Whether bytes of the body were left unread, so the connection cannot carry another request. */
  boolean truncated() {
    return truncated;
  }

  byte[] bytes() {
    return bytes.length == size ? bytes : Arrays.copyOf(bytes, size);
  }

  int size() {
    return size;
  }

  /** Gives the reserved memory back; safe to call more than once. */
  synchronized void release() {
    budget.release(reserved);
    reserved = 0;
  }
}
