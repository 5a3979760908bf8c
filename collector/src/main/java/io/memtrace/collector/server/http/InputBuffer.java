package io.memtrace.collector.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The bytes a connection has received and not yet consumed. It grows only as far as a request
 * head may (64 KiB); body bytes pass through it into the {@link RequestBody}.
 */
final class InputBuffer {

  private static final int FIRST = 16 * 1024;
  private static final int MAX = FrontLimits.MAX_HEAD_BYTES + FIRST;

  private byte[] bytes = new byte[FIRST];
  private int start;
  private int end;
  /** How far the search for the end of the head got, so a trickling head is not searched again and again. */
  private int scanned;

  /** Reads what the socket has; -1 at the end of the stream, 0 when there is no room left. */
  int readFrom(SocketChannel channel) throws IOException {
    if (start == end) {
      start = 0; // all consumed: the whole buffer is free again
      end = 0;
      scanned = 0;
    }
    if (end == bytes.length) {
      System.arraycopy(bytes, start, bytes, 0, end - start);
      scanned = Math.max(0, scanned - start);
      end -= start;
      start = 0;
      if (end == bytes.length && bytes.length < MAX) {
        bytes = Arrays.copyOf(bytes, Math.min(MAX, bytes.length * 2));
      }
    }
    if (end == bytes.length) {
      return 0;
    }
    int n = channel.read(ByteBuffer.wrap(bytes, end, bytes.length - end));
    end += Math.max(n, 0);
    return n;
  }

  boolean isEmpty() {
    return start == end;
  }

  boolean full() {
    return start == 0 && end == bytes.length;
  }

  /** The head at the front of the buffer, consumed; null while it is incomplete. */
  RequestHead takeHead() throws HttpProblem {
    int headEnd = RequestHead.end(bytes, Math.max(start, scanned - 2), end);
    if (headEnd < 0) {
      scanned = end;
      if (end - start >= FrontLimits.MAX_HEAD_BYTES) {
        throw new HttpProblem(431, "the request line and headers exceed " + FrontLimits.MAX_HEAD_BYTES + " bytes");
      }
      return null;
    }
    RequestHead head = RequestHead.parse(bytes, start, headEnd);
    start = headEnd;
    scanned = start;
    return head;
  }

  /** Moves body bytes into {@code body}, as many as it takes. */
  void drainInto(RequestBody body) throws HttpProblem {
    start += body.take(bytes, start, end);
    scanned = start;
  }
}
