package io.memtrace.agent.export;

import io.memtrace.agent.pipeline.SpanRecord;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP/HTTP protobuf span export, straight from the consumer's {@link SpanRecord}s: the consumer
 * thread encodes a batch into a pooled buffer ({@link OtlpTraceEncoder}), and one sender thread
 * posts it over a kept-alive socket ({@link PlainHttpPoster}; the JDK's HTTP client for
 * {@code https://}). Failures that may pass (connection errors, timeouts, 429, 502, 503, 504)
 * are retried with the OpenTelemetry SDK's default policy: up to 5 attempts, exponential back-off
 * from 1 s by 1.5× up to 5 s, with jitter. Buffers come back to the pool when their export ends;
 * the dispatcher keeps at most a few exports in flight, so the pool stays that small.
 *
 * <p>This replaces the SDK's {@code OtlpHttpSpanExporter} for traces because encoding through
 * {@code SpanData} and the SDK's marshalers was most of the consumer's cost (see
 * {@link SpanRecord}); the wire format is the same, checked field by field against the SDK's
 * encoding in {@code OtlpTraceEncoderTest}.
 */
public final class OtlpHttpTraceExporter {

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
  private final OtlpTraceEncoder encoder = new OtlpTraceEncoder();
  private final ConcurrentLinkedQueue<ProtoWriter> buffers = new ConcurrentLinkedQueue<>();
  private volatile boolean shutdown;

  public OtlpHttpTraceExporter(String endpoint, Map<String, String> headers, boolean gzip, Duration timeout) {
    this.endpoint = URI.create(endpoint);
    this.headers = headers;
    this.gzip = gzip;
    this.timeout = timeout;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "memtrace-otlp-traces");
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
   * Encodes {@code records[0..count)} now, on the calling thread, and sends them in the background.
   * The records may be reused as soon as this returns.
   */
  public CompletableResultCode export(SpanRecord[] records, int count) {
    CompletableResultCode result = new CompletableResultCode();
    if (shutdown) {
      return result.fail();
    }
    ProtoWriter buffer = buffers.poll();
    if (buffer == null) {
      buffer = new ProtoWriter(64 * 1024);
    }
    encoder.encode(records, count, buffer);
    byte[] body = buffer.array();
    int length = buffer.size();
    if (gzip) {
      try {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
          out.write(body, 0, length);
        }
        body = compressed.toByteArray();
        length = body.length;
      } catch (IOException e) {
        buffers.offer(buffer);
        return result.failExceptionally(e);
      }
    }
    send(buffer, body, length, 1, result);
    return result;
  }

  private void send(ProtoWriter buffer, byte[] body, int length, int attempt, CompletableResultCode result) {
    try {
      executor.execute(() -> attempt(buffer, body, length, attempt, result));
    } catch (RuntimeException e) { // shut down
      buffers.offer(buffer);
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
  private void attempt(ProtoWriter buffer, byte[] body, int length, int attempt, CompletableResultCode result) {
    int status = 0;
    byte[] answer = null;
    Throwable error = null;
    try {
      if (poster != null) {
        PlainHttpPoster.Answer response = poster.post(body, length);
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
      buffers.offer(buffer);
      result.succeed();
      return;
    }
    boolean retryable = (error != null && !(error instanceof InterruptedException))
        || status == 429 || status == 502 || status == 503 || status == 504;
    if (retryable && attempt < MAX_ATTEMPTS && !shutdown) {
      try {
        executor.schedule(() -> attempt(buffer, body, length, attempt + 1, result), backoffMillis(attempt),
            TimeUnit.MILLISECONDS);
        return;
      } catch (RuntimeException e) {
        error = e; // shut down meanwhile
      }
    }
    buffers.offer(buffer);
    if (error != null) {
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

  /** Stops retrying; exports in flight end on their own (the dispatcher waits for them). */
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
    return "otlp " + endpoint;
  }
}
