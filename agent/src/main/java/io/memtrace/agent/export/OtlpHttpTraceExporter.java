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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP/HTTP protobuf span export, straight from the consumer's {@link SpanRecord}s: the consumer
 * thread encodes a batch into a pooled buffer ({@link OtlpTraceEncoder}), and the JDK's HTTP client
 * sends it asynchronously. Failures that may pass (connection errors, timeouts, 429, 502, 503, 504)
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
  private final HttpClient client;
  private final ExecutorService executor;
  private final OtlpTraceEncoder encoder = new OtlpTraceEncoder();
  private final ConcurrentLinkedQueue<ProtoWriter> buffers = new ConcurrentLinkedQueue<>();
  private volatile boolean shutdown;

  public OtlpHttpTraceExporter(String endpoint, Map<String, String> headers, boolean gzip, Duration timeout) {
    this.endpoint = URI.create(endpoint);
    this.headers = headers;
    this.gzip = gzip;
    this.timeout = timeout;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "memtrace-otlp-traces");
      t.setDaemon(true);
      return t;
    });
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .executor(executor)
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
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    headers.forEach(request::header);
    CompletableFuture<HttpResponse<byte[]>> sent;
    try {
      sent = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (RuntimeException e) {
      buffers.offer(buffer);
      result.failExceptionally(e);
      return;
    }
    sent.whenComplete((response, error) -> {
      int status = response == null ? 0 : response.statusCode();
      if (error == null && status >= 200 && status < 300) {
        buffers.offer(buffer);
        result.succeed();
        return;
      }
      boolean retryable = error != null || status == 429 || status == 502 || status == 503 || status == 504;
      if (retryable && attempt < MAX_ATTEMPTS && !shutdown) {
        CompletableFuture.delayedExecutor(backoffMillis(attempt), TimeUnit.MILLISECONDS, executor)
            .execute(() -> send(buffer, body, length, attempt + 1, result));
        return;
      }
      buffers.offer(buffer);
      Throwable cause;
      if (error != null) {
        Throwable root = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        cause = new IOException("OTLP endpoint " + endpoint + " could not be reached after " + attempt
            + " attempt(s): " + root, root);
      } else {
        cause = new IOException("OTLP endpoint " + endpoint + " answered HTTP " + status + describe(response.body()));
      }
      result.failExceptionally(cause);
    });
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
    executor.shutdown();
  }

  @Override
  public String toString() {
    return "otlp " + endpoint;
  }
}
