package io.memtrace.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Posts OTLP protobuf payloads to one endpoint from one sender thread, for memtrace's trace and
 * metric exporters. {@code http://} endpoints are posted over a kept-alive socket
 * ({@link PlainHttpPoster}); {@code https://} ones with the JDK's HTTP client, so a plain setup
 * never loads the TLS stack. Failures that may pass (connection errors, timeouts, 429, 502, 503,
 * 504) are retried; an answer that is not HTTP the poster can follow fails that export at once with the OpenTelemetry SDK's default policy: up to 5 attempts, exponential
 * back-off from 1 s by 1.5× up to 5 s, with jitter; a retry waits on the scheduler, not on the
 * thread.
 */
public final class OtlpHttpSender {

  static final int MAX_ATTEMPTS = 5;
  static final long INITIAL_BACKOFF_MILLIS = 1000;
  static final long MAX_BACKOFF_MILLIS = 5000;
  static final double BACKOFF_MULTIPLIER = 1.5;

  private final URI endpoint;
  private final Map<String, String> headers;
  private final boolean gzip;
  private final Duration timeout;
  /** For {@code http://} endpoints; {@code null} for {@code https://}, which the JDK client serves. */
  private final PlainHttpPoster poster;
  private final HttpClient client;
  private final ScheduledExecutorService executor;
  private volatile boolean shutdown;

  public OtlpHttpSender(String endpoint, Map<String, String> headers, boolean gzip, Duration timeout,
      String threadName) {
    this.endpoint = URI.create(endpoint);
    this.headers = headers;
    this.gzip = gzip;
    this.timeout = timeout;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    boolean plain = "http".equalsIgnoreCase(this.endpoint.getScheme());
    this.poster = plain ? new PlainHttpPoster(this.endpoint, headers, gzip, (int) Math.min(Integer.MAX_VALUE,
        timeout.toMillis())) : null;
    this.client = plain ? null : HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .build();
  }

  /**
   * Sends {@code body[0..length)} in the background (gzipped first, on the calling thread, when
   * asked). {@code release} runs once the body is no longer needed, whatever the outcome.
   */
  public CompletableResultCode send(byte[] body, int length, Runnable release) {
    CompletableResultCode result = new CompletableResultCode();
    if (shutdown) {
      release.run();
      return result.fail();
    }
    if (gzip) {
      try {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
          out.write(body, 0, length);
        }
        body = compressed.toByteArray();
        length = body.length;
      } catch (IOException e) {
        release.run();
        return result.failExceptionally(e);
      }
      release.run(); // the compressed copy is what is sent
      release = () -> { };
    }
    send(release, body, length, 1, result);
    return result;
  }

  private void send(Runnable release, byte[] body, int length, int attempt, CompletableResultCode result) {
    try {
      executor.execute(() -> attempt(release, body, length, attempt, result));
    } catch (RuntimeException e) { // shut down
      release.run();
      result.failExceptionally(e);
    }
  }

  /**
   * One attempt, on the sender thread, with the client's blocking {@code send}. Not
   * {@code sendAsync}: when given no executor of its own, the JDK client hands every response to
   * {@code CompletableFuture}'s default pool, and on a machine with two cores that pool starts a
   * new thread for each task; the overhead run measured a thread per batch costing more CPU than
   * the whole consumer.
   */
  private void attempt(Runnable release, byte[] body, int length, int attempt, CompletableResultCode result) {
    int status = 0;
    byte[] answer = null;
    Throwable error = null;
    try {
      if (poster != null) {
        HttpAnswer response = poster.post(body, length);
        status = response.status;
        answer = response.body;
      } else {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
        if (gzip) {
          request.header("Content-Encoding", "gzip");
        }
        headers.forEach(request::header);
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        status = response.statusCode();
        answer = response.body();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = e;
    } catch (IOException | RuntimeException e) {
      error = e;
    }
    if (error == null && status >= 200 && status < 300) {
      release.run();
      result.succeed();
      return;
    }
    // a malformed answer came from a server that took the request: sending it again could store it
    // twice, and the same server would likely answer the same way
    boolean retryable = (error != null && !(error instanceof InterruptedException)
        && !(error instanceof HttpAnswer.Malformed))
        || status == 429 || status == 502 || status == 503 || status == 504;
    if (retryable && attempt < MAX_ATTEMPTS && !shutdown) {
      try {
        executor.schedule(() -> attempt(release, body, length, attempt + 1, result), backoffMillis(attempt),
            TimeUnit.MILLISECONDS);
        return;
      } catch (RuntimeException e) {
        error = e; // shut down meanwhile
      }
    }
    release.run();
    if (error instanceof HttpAnswer.Malformed) {
      result.failExceptionally(new IOException("OTLP endpoint " + endpoint + " gave an answer memtrace "
          + "cannot read (" + error.getMessage() + "); the connection was closed", error));
    } else if (error != null) {
      result.failExceptionally(new IOException("OTLP endpoint " + endpoint + " could not be reached after "
          + attempt + " attempt(s): " + error, error));
    } else {
      result.failExceptionally(new IOException("OTLP endpoint " + endpoint + " answered HTTP " + status
          + describe(answer)));
    }
  }

  /** A random delay up to the exponential back-off of {@code attempt} (1-based), as the SDK does. */
  static long backoffMillis(int attempt) {
    double cap = Math.min(INITIAL_BACKOFF_MILLIS * Math.pow(BACKOFF_MULTIPLIER, attempt - 1), MAX_BACKOFF_MILLIS);
    return (long) ThreadLocalRandom.current().nextDouble(cap);
  }

  private static String describe(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    return ": " + text;
  }

  /** Stops retrying; what is queued still goes, then the thread ends. */
  public void shutdown() {
    shutdown = true;
    if (poster != null) {
      try {
        executor.execute(poster::close); // on the sender thread, after what is queued
      } catch (RuntimeException e) {
        // already stopped: the socket goes with the JVM
      }
    }
    executor.shutdown();
  }

  @Override
  public String toString() {
    return endpoint.toString();
  }
}
