package io.memtrace.bench.stress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;

/**
 * An HTTP/1.1 reverse proxy on 127.0.0.1 between the agent and the collector, which forwards each
 * request whole and relays the answer, unless told to fail: to be down (connections refused), slow
 * (answers held back) or to answer an error status itself. It logs every request so the harness can
 * see what the agent did about each fault (how often it posted, when it retried the same body).
 *
 * <p>A bare server, one thread and one kept-alive upstream connection per client connection, with
 * reused buffers: it shares two cores with the application it measures. Times are
 * {@link System#currentTimeMillis()}. Only the upstream's host and port are used; each request's
 * target is forwarded as the client sent it.
 */
public final class FaultProxy implements AutoCloseable {

  /**
   * One request, as the proxy saw it.
   *
   * @param receivedAtMillis when its head (request line and headers) had arrived
   * @param answeredAtMillis when its answer started to be written, or its connection dropped
   * @param path the request target ("/v1/traces")
   * @param bodyCrc CRC32 of the body as sent (after de-chunking, before any decompression)
   * @param bodyLength the body's length in bytes
   * @param status the status answered; -1 when the connection was dropped before an answer could be
   *     sent (by {@link #down()}, or by the client)
   */
  public record Request(long receivedAtMillis, long answeredAtMillis, String path, long bodyCrc,
      int bodyLength, int status) {}

  private final String upstreamHost;
  private final int upstreamPort;
  private final FaultLog log = new FaultLog();
  private final FaultListener listener;
  private volatile FaultMode mode = FaultMode.PASS;
  /** Guarded by {@code this}. */
  private boolean closed;

  private FaultProxy(URI upstream) throws IOException {
    this.upstreamHost = upstream.getHost();
    this.upstreamPort = upstream.getPort() > 0 ? upstream.getPort() : 80;
    this.listener = new FaultListener(socket -> new FaultConnection(socket, () -> mode,
        new FaultUpstream(upstreamHost, upstreamPort), log).run());
  }

  /** Starts a proxy in pass mode on a free loopback port, forwarding to {@code upstream} (http only). */
  public static FaultProxy start(URI upstream) throws IOException {
    if (!"http".equalsIgnoreCase(upstream.getScheme()) || upstream.getHost() == null) {
      throw new IllegalArgumentException("upstream must be an http://host:port URI, got " + upstream);
    }
    return new FaultProxy(upstream);
  }

  /** {@code http://127.0.0.1:PORT}, the same for the proxy's whole life, across down and up. */
  public String endpoint() {
    return "http://127.0.0.1:" + listener.port();
  }

  /** Forwards every request and relays its answer (the default). */
  public void pass() {
    mode = FaultMode.PASS;
  }

  /**
   * Stops listening and closes every client connection, as a stopped collector would: connecting is
   * refused, and a request in flight is logged with status -1. No effect when already down.
   */
  public synchronized void down() {
    mode = FaultMode.DOWN; // first, so that a request that slips in is dropped, not forwarded
    listener.shut();
  }

  /**
   * Listens again on the same port, then passes. No effect on the listening socket when already up.
   *
   * @throws UncheckedIOException when the port cannot be bound again (another process took it)
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized void up() {
    if (closed) {
      throw new IllegalStateException("the proxy is closed");
    }
    try {
      listener.listen();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen again on port " + listener.port(), e);
    }
    pass();
  }

  /** Forwards, but holds each answer {@code delayMillis} before relaying it. */
  public void slow(long delayMillis) {
    mode = FaultMode.slow(delayMillis);
  }

  /**
   * Answers every request with {@code status} (500, 503, 429...) without forwarding it, with
   * {@code Retry-After: N} when {@code retryAfterSeconds} is positive.
   */
  public void error(int status, long retryAfterSeconds) {
    mode = FaultMode.error(status, retryAfterSeconds);
  }

  /**
   * Answers every request 200 with an empty body (an empty OTLP export response means "all
   * accepted") without forwarding it: a sink that costs the application's machine only the reading
   * of each body, as a collector on CPU of its own would. How {@code baseline} tells memtrace's own
   * cost from that of a collector ingesting on the application's cores.
   */
  public void sink() {
    mode = FaultMode.error(200, 0);
  }

  /**
   * Every request answered or dropped so far, in the order of its answer. A request is logged just
   * after its answer is flushed, so a client may read the answer a moment before it shows here.
   */
  public List<Request> requests() {
    return log.snapshot();
  }

  /** Requests to {@code path} (any when {@code null}) received in [from, to), per second. */
  public double requestsPerSecond(String path, long fromMillis, long toMillis) {
    return log.perSecond(path, fromMillis, toMillis);
  }

  /**
   * For each 429 or 503 answer to a request received in [from, to) whose body (CRC32 and length) came
   * again: the gap from that answer to the next request carrying the same body, in ms, in order of
   * arrival. Bodies never retried, and empty bodies, are absent.
   */
  public List<Long> retryGapsMillis(long fromMillis, long toMillis) {
    return log.retryGaps(fromMillis, toMillis);
  }

  /** How many answers of {@code status} (-1: dropped) to requests received in [from, to) were retried. */
  public long retriesOf(int status, long fromMillis, long toMillis) {
    return log.retriesOf(status, fromMillis, toMillis);
  }

  /** Stops listening and drops every connection, for good. */
  @Override
  public synchronized void close() {
    closed = true;
    down();
  }
}
