package io.memtrace.collector.server.http;

import java.time.Duration;

/**
 * What the {@link HttpFront} allows a connection. Every deadline covers a whole phase, not the gap
 * between two bytes: a client that sends its request line and headers one byte a second still
 * runs out of {@code headerTimeout}, and one that trickles its body, out of {@code bodyTimeout}.
 *
 * @param headerTimeout from the first byte of a request to the end of its headers
 * @param bodyTimeout from the end of the headers to the end of the body; also the longest a
 *     client may leave an answer unread
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param maxConnections open connections at most; more are answered 503 and closed
 * @param bufferBudget bytes of request bodies held at once over all connections; a request that
 *     does not fit is answered 503, so many large bodies at once cannot exhaust the heap
 */
public record FrontLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
    long bufferBudget) {

  public FrontLimits {
    if (headerTimeout.isNegative() || headerTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()
        || idleTimeout.isNegative() || idleTimeout.isZero() || maxConnections < 1 || bufferBudget < 1) {
      throw new IllegalArgumentException("timeouts, connections and the buffer budget must be positive");
    }
  }

  /** The budget when none is given: a quarter of the heap, and room for two bodies of the largest size. */
  public static long defaultBudget(long maxBody) {
    return Math.max(Runtime.getRuntime().maxMemory() / 4, 2 * (maxBody + 1));
  }
}
