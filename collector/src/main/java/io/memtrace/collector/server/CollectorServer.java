package io.memtrace.collector.server;

import com.sun.net.httpserver.HttpServer;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.ingest.IngestListener;
import io.memtrace.collector.ingest.IngestStats;
import io.memtrace.collector.ingest.OtlpHandler;
import io.memtrace.collector.query.QueryApiHandler;
import io.memtrace.collector.store.SpanStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of {@code serve}: OTLP on {@code /v1/traces} and {@code /v1/metrics}, read-only
 * SQL on {@code /api/query}, counters on {@code /api/status}.
 */
public final class CollectorServer implements AutoCloseable {

  private final HttpServer http;
  private final ExecutorService executor;
  private final IngestStats stats = new IngestStats();
  private final Draining draining = new Draining();

  public CollectorServer(String bind, int port, long bodyLimit, SpanStore store, Forwarder forwarder,
      IngestListener listener) throws IOException {
    http = HttpServer.create(new InetSocketAddress(bind, port), 128);
    AtomicInteger threads = new AtomicInteger();
    // a few threads suffice: requests wait on the group commit, which batches them together
    executor = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "memtrace-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.createContext("/v1/traces", draining.wrap(new OtlpHandler(OtlpHandler.Signal.TRACES, store.writer(),
        bodyLimit, forwarder, listener, stats)));
    http.createContext("/v1/metrics", draining.wrap(new OtlpHandler(OtlpHandler.Signal.METRICS, store.writer(),
        bodyLimit, forwarder, IngestListener.NONE, stats)));
    http.createContext("/api/query", draining.wrap(new QueryApiHandler(store)));
    http.createContext("/api/status", draining.wrap(new StatusHandler(store, stats, forwarder)));
  }

  public void start() {
    http.start();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** The address local commands use; a wildcard bind is still reachable on loopback. */
  public URI localUrl() {
    String host = http.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1"
        : http.getAddress().getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  public IngestStats stats() {
    return stats;
  }

  /** Lets requests in flight finish (at most ten seconds), refusing new ones, then stops. */
  @Override
  public void close() {
    draining.drain(10_000);
    http.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
