package io.memtrace.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Posts OTLP protobuf payloads to one endpoint, for memtrace's trace and metric exporters, with up
 * to {@code lanes} posts truly in flight, each on its own thread and connection
 * ({@link SenderLanes}). {@code http://} endpoints are posted over kept-alive sockets
 * ({@link PlainHttpPoster}); {@code https://} ones with the JDK's HTTP client
 * ({@link JdkHttpPoster}), so a plain setup never loads the TLS stack.
 *
 * <p>Failures that may pass are retried as {@link RetryPolicy} says: after a back-off, or after the
 * endpoint's {@code Retry-After} on a 429 or 503 ({@link RetryAfter}; one that cannot be read is
 * ignored, one past {@link RetryPolicy#MAX_RETRY_AFTER_MILLIS} fails that export at once). The
 * waits are on a timer, not on a lane, so the lanes keep posting other payloads meanwhile; order
 * does not matter to OTLP. An answer that is not HTTP the poster can follow fails that export
 * at once.
 */
public final class OtlpHttpSender {

  /** Payloads that may wait for a lane, per lane: what {@code export.max-queued-spans} may hold, in batches. */
  static final int WAITING_PER_LANE = 16;

  private final URI endpoint;
  private final boolean gzip;
  private final SenderLanes lanes;
  private final RetryTimer retries;
  private volatile boolean shutdown;

  /**
   * A sender to {@code endpoint} with {@code lanes} posts in flight at most; its threads are named
   * {@code threadName}, {@code threadName-2}, ….
   */
  public OtlpHttpSender(String endpoint, Map<String, String> headers, boolean gzip, Duration timeout,
      String threadName, int lanes) {
    this.endpoint = URI.create(endpoint);
    this.gzip = gzip;
    this.lanes = new SenderLanes(lanes, lanes * WAITING_PER_LANE, posters(headers, timeout), threadName);
    this.retries = new RetryTimer(threadName + "-retry");
  }

  private Supplier<HttpPoster> posters(Map<String, String> headers, Duration timeout) {
    if ("http".equalsIgnoreCase(endpoint.getScheme())) {
      int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      return () -> new PlainHttpPoster(endpoint, headers, gzip, timeoutMillis);
    }
    HttpClient client = JdkHttpPoster.client(timeout);
    return () -> new JdkHttpPoster(client, endpoint, headers, gzip, timeout);
  }

  /** {@code body[0..length)} as a request with {@code OTEL_EXPORTER_OTLP_COMPRESSION=gzip} sends it. */
  public static byte[] gzip(byte[] body, int length) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 4 + 64);
    try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
      out.write(body, 0, length);
    }
    return compressed.toByteArray();
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
        body = gzip(body, length);
        length = body.length;
      } catch (IOException e) {
        release.run();
        return result.failExceptionally(e);
      }
      release.run(); // the compressed copy is what is sent
      release = () -> { };
    }
    submit(new Post(body, length, release, result));
    return result;
  }

  private void submit(Post post) {
    if (!lanes.submit(post)) {
      post.fail(new IOException("OTLP endpoint " + endpoint + ": " + (shutdown ? "the exporter was shut down"
          : "too many exports waiting for a connection") + (post.attempt > 1 ? " before attempt " + post.attempt
          : "")));
    }
  }

  /** One payload and its attempts so far. */
  private final class Post implements SenderLanes.Job, RetryTimer.Waiter {
    final byte[] body;
    final int length;
    final Runnable release;
    final CompletableResultCode result;
    int attempt = 1;

    Post(byte[] body, int length, Runnable release, CompletableResultCode result) {
      this.body = body;
      this.length = length;
      this.release = release;
      this.result = result;
    }

    @Override
    public Runnable post(HttpPoster poster) {
      int status = 0;
      byte[] answer = null;
      long retryAfter = RetryAfter.NONE;
      Throwable error = null;
      try {
        HttpAnswer response = poster.post(body, length);
        status = response.status;
        answer = response.body;
        retryAfter = response.retryAfterMillis;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = e;
      } catch (IOException | RuntimeException e) {
        error = e;
      }
      if (error == null && status >= 200 && status < 300) {
        return this::succeed;
      }
      long asked = RetryPolicy.retryAfterMillis(status, retryAfter);
      if (asked > RetryPolicy.MAX_RETRY_AFTER_MILLIS) {
        IOException failure = new IOException("OTLP endpoint " + endpoint + " answered HTTP " + status
            + " with Retry-After " + seconds(asked) + ", longer than the "
            + seconds(RetryPolicy.MAX_RETRY_AFTER_MILLIS) + " memtrace waits: export given up" + AnswerText.describe(answer));
        return () -> fail(failure);
      }
      if (RetryPolicy.mayPass(error, status) && attempt < RetryPolicy.MAX_ATTEMPTS && !shutdown) {
        return () -> retryLater(asked);
      }
      IOException failure = failure(error, status, answer);
      return () -> fail(failure);
    }

    private IOException failure(Throwable error, int status, byte[] answer) {
      if (error instanceof HttpAnswer.Malformed) {
        return new IOException("OTLP endpoint " + endpoint + " gave an answer memtrace cannot read ("
            + error.getMessage() + "); the connection was closed", error);
      }
      if (error != null) {
        return new IOException("OTLP endpoint " + endpoint + " could not be reached after " + attempt
            + " attempt(s): " + error, error);
      }
      return new IOException("OTLP endpoint " + endpoint + " answered HTTP " + status + AnswerText.describe(answer));
    }

    /** Posts again after the back-off, or after {@code retryAfterMillis} when that is longer. */
    private void retryLater(long retryAfterMillis) {
      long delay = RetryPolicy.delayMillis(attempt, retryAfterMillis);
      attempt++;
      retries.after(delay, this);
    }

    @Override
    public void due() {
      submit(this);
    }

    @Override
    public void stopped() {
      fail(new IOException("OTLP endpoint " + endpoint + ": the exporter was shut down before attempt " + attempt));
    }

    private void succeed() {
      release.run();
      result.succeed();
    }

    void fail(IOException failure) {
      release.run();
      result.failExceptionally(failure);
    }
  }

  /** Payloads waiting out a back-off or a {@code Retry-After} now. */
  int waitingRetries() {
    return retries.waiting();
  }

  private static String seconds(long millis) {
    return millis == Long.MAX_VALUE ? "beyond counting" : (millis + 999) / 1000 + " s";
  }

  /**
   * Stops retrying: payloads waiting out a back-off or a {@code Retry-After} fail before this
   * returns; those already queued for a lane still go, then the lanes close their connections and end.
   */
  public void shutdown() {
    shutdown = true;
    lanes.stop();
    retries.stop();
  }

  @Override
  public String toString() {
    return endpoint.toString();
  }
}
