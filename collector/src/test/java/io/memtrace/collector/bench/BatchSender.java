package io.memtrace.collector.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Posts OTLP protobuf batches to serve's {@code /v1/traces} over {@link #CONNECTIONS} connections, each waiting
 * for its answer before the next, as an exporter with that many exports in flight does; times each request from
 * its first send to its 200.
 */
final class BatchSender implements AutoCloseable {

  static final int CONNECTIONS = 4;
  /**
   * A busy collector answers 503 (retry), as an OTLP exporter would be told; on a shared machine it happens, for
   * longer than 10 s while a large move runs (seen at load 17). Retried with a backoff to 1 s, for up to two minutes,
   * as an exporter's retry on failure does.
   */
  private static final long RETRY_NANOS = 120_000_000_000L;

  private final URI endpoint;
  private final IntFunction<byte[]> payload;
  // HTTP/1.1 as OTLP exporters speak it: one request at a time per connection, so the pool holds CONNECTIONS
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);

  /** @param payload the body of batch {@code b}, built by the sending thread when its turn comes */
  BatchSender(URI serve, IntFunction<byte[]> payload) {
    this.endpoint = serve.resolve("/v1/traces");
    this.payload = payload;
  }

  /** What sending a run of batches took: each request's latency in its batch's order, and the 503s retried. */
  record Sent(long[] latencyNanos, long retries, double seconds) {

    /** The {@code q} quantile (0 to 1) of the latencies, nearest rank, in ms. */
    double latencyMillis(double q) {
      long[] sorted = latencyNanos.clone();
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
  }

  /** Sends batches {@code from} (inclusive) to {@code to} and returns when every one was acknowledged. */
  Sent send(int from, int to) throws IOException, InterruptedException {
    long[] latencies = new long[to - from];
    AtomicInteger next = new AtomicInteger(from);
    AtomicLong retries = new AtomicLong();
    long start = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      workers.add(threads.submit(() -> {
        try {
          for (int b = next.getAndIncrement(); b < to; b = next.getAndIncrement()) {
            latencies[b - from] = post(b, retries);
          }
        } catch (IOException | RuntimeException e) {
          next.set(to); // the other connections stop after their request in flight
          throw e;
        }
        return null;
      }));
    }
    try {
      for (Future<Void> w : workers) {
        w.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
    }
    return new Sent(latencies, retries.get(), (System.nanoTime() - start) / 1e9);
  }

  private long post(int b, AtomicLong retries) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload.apply(b))).build();
    long t0 = System.nanoTime();
    int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    for (long pause = 200; status == 503 && System.nanoTime() - t0 < RETRY_NANOS; pause = Math.min(1000, pause * 2)) {
      retries.incrementAndGet();
      Thread.sleep(pause);
      status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
    if (status != 200) {
      throw new IOException("batch " + b + " was refused: HTTP " + status);
    }
    return System.nanoTime() - t0;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
