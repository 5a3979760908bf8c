package io.memtrace.collector.server.http;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The collector's HTTP/1.1 server. It reads every request whole, under the phase deadlines of
 * {@link FrontLimits}, and hands only complete requests to the handler threads of their route's
 * {@link Lane}, so a slow or stalled client holds no thread that others need. Handlers are plain
 * JDK {@link HttpHandler}s.
 */
public interface HttpFront extends AutoCloseable {

  /**
   * The exchange attribute that holds when the front had read the request whole, as a Long of
   * {@link System#nanoTime}; a handler measures how long its client waited from there.
   */
  String RECEIVED_NANOS = "memtrace.received.nanos";

  /** The system property that picks the implementation while both are measured: {@code netty} (default) or {@code nio}. */
  String IMPLEMENTATION = "memtrace.http.front";

  /** Binds {@code address}; requests wait in the backlog until {@link #start}. */
  static HttpFront open(InetSocketAddress address, FrontLimits limits) throws IOException {
    return "nio".equals(System.getProperty(IMPLEMENTATION)) ? new NioFront(address, limits)
        : new NettyFront(address, limits);
  }

  /**
   * Sends requests whose path starts with {@code prefix} (the longest matching prefix wins) to
   * {@code handler} on {@code lane}, with bodies of at most {@code maxBody} bytes read for it.
   */
  void route(String prefix, HttpHandler handler, Executor lane, long maxBody);

  void start();

  InetSocketAddress address();

  /** Connections refused because {@link FrontLimits#maxConnections()} were open. */
  long refusedConnections();

  /** Connections closed because a phase deadline passed. */
  long timeouts();

  /** Requests the front answered itself with an error (bad framing, a body over the limit, no room), timeouts included. */
  long problems();

  /** Bytes of the request-body budget not held by a request now. */
  long bodyBytesAvailable();

  /** From now on each connection closes after its current answer. */
  void drain();

  /** Stops accepting and closes every connection; handlers still running fail at their next write. */
  @Override
  void close();
}
