package io.memtrace.collector.forward;

import io.memtrace.collector.CriticalThreads;
import io.memtrace.collector.Failures;
import io.memtrace.collector.Log;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends received OTLP payloads, byte for byte, on to an upstream OTLP/HTTP endpoint (an
 * OpenTelemetry Collector) from one background thread. {@link #offer} never blocks: a full queue
 * drops the payload and counts it, so a slow or dead upstream never slows down receiving.
 * Failures that may pass (connection errors, 429, 5xx) are retried with exponential back-off;
 * a payload still failing after the last attempt, or refused outright (other 4xx), is dropped
 * and counted.
 */
public final class Forwarder implements AutoCloseable {

  private static final int MAX_ATTEMPTS = 5;
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final URI base;
  private final BlockingQueue<Payload> queue;
  private final HttpClient client;
  private final Thread thread;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong droppedQueueFull = new AtomicLong();
  private final AtomicLong droppedFailed = new AtomicLong();
  private volatile boolean closing;
  private final boolean forwardValues;

  public Forwarder(URI base, int capacity) {
    this(base, capacity, false);
  }

  /** @param forwardValues whether trace requests go upstream with their captured values ({@code --forward-values}) */
  public Forwarder(URI base, int capacity, boolean forwardValues) {
    this.forwardValues = forwardValues;
    // a trailing slash makes "v1/traces" resolve below any path prefix of the upstream
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.thread = new Thread(this::run, "memtrace-forwarder");
    this.thread.setDaemon(true);
    this.thread.start();
    CriticalThreads.watch(thread);
  }

  /** Queues a payload for {@code base + path}; returns false (and counts a drop) when the queue is full. */
  public boolean offer(String path, String contentType, String contentEncoding, byte[] body) {
    boolean queued = queue.offer(new Payload(path, contentType, contentEncoding, body));
    if (!queued) {
      droppedQueueFull.incrementAndGet();
    }
    return queued;
  }

  private void run() {
    while (!closing || !queue.isEmpty()) {
      Payload payload;
      try {
        payload = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (payload == null) {
        continue;
      }
      try {
        deliver(payload);
      } catch (RuntimeException e) {
        // a payload the HTTP client cannot even send (say, a header value it refuses): that one is lost
        droppedFailed.incrementAndGet();
        Log.warn("cannot forward a payload to " + base + ", dropped: " + e);
      } catch (Throwable t) {
        Failures.inThread(t);
        droppedFailed.incrementAndGet();
      }
    }
  }

  private void deliver(Payload payload) {
    long backoff = FIRST_BACKOFF_MILLIS;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Outcome outcome = send(payload);
      if (outcome == Outcome.SENT) {
        sent.incrementAndGet();
        return;
      }
      if (outcome == Outcome.REFUSED || attempt == MAX_ATTEMPTS) {
        break;
      }
      retries.incrementAndGet();
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        break;
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
    droppedFailed.incrementAndGet();
  }

  private enum Outcome { SENT, RETRY, REFUSED }

  private Outcome send(Payload payload) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(payload.path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", payload.contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body));
    if (payload.contentEncoding != null) {
      request.header("Content-Encoding", payload.contentEncoding);
    }
    try {
      int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status >= 200 && status < 300) {
        return Outcome.SENT;
      }
      return status == 429 || status >= 500 ? Outcome.RETRY : Outcome.REFUSED;
    } catch (IOException e) {
      return Outcome.RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.REFUSED;
    }
  }

  /** Whether captured values ({@code memory.value} span events) are sent upstream; by default they are taken out. */
  public boolean forwardsValues() {
    return forwardValues;
  }

  public ForwardStats stats() {
    return new ForwardStats(base.toString(), sent.get(), retries.get(), queue.size(),
        droppedQueueFull.get(), droppedFailed.get());
  }

  /** Gives queued payloads up to {@code grace} to go out, then stops. */
  public void close(Duration grace) {
    CriticalThreads.retire(thread);
    closing = true;
    try {
      thread.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private static final class Payload {
    final String path;
    final String contentType;
    final String contentEncoding;
    final byte[] body;

    Payload(String path, String contentType, String contentEncoding, byte[] body) {
      this.path = path.startsWith("/") ? path.substring(1) : path;
      this.contentType = contentType;
      this.contentEncoding = contentEncoding;
      this.body = body;
    }
  }
}
