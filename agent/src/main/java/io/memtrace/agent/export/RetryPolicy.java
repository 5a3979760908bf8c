package io.memtrace.agent.export;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When {@link OtlpHttpSender} posts a payload again, and after how long. Failures that may pass
 * (connection errors, timeouts, 429, 502, 503, 504) are retried with the OpenTelemetry SDK's default
 * policy: up to {@link #MAX_ATTEMPTS} attempts, exponential back-off from 1 s by 1.5× up to 5 s, with
 * jitter. A 429 or 503 that carries a {@code Retry-After} waits {@code max(back-off, Retry-After)},
 * as OTLP/HTTP asks, unless it asks for more than {@link #MAX_RETRY_AFTER_MILLIS}: then the export
 * is given up at once.
 */
final class RetryPolicy {

  static final int MAX_ATTEMPTS = 5;
  static final long INITIAL_BACKOFF_MILLIS = 1000;
  static final long MAX_BACKOFF_MILLIS = 5000;
  static final double BACKOFF_MULTIPLIER = 1.5;
  /**
   * The longest {@code Retry-After} waited for. A payload waiting holds its export's place, and the
   * queue behind the lanes is bounded: waiting minutes would turn an endpoint's request to slow
   * down into spans dropped on the consumer, with the payload lost at the end anyway.
   */
  static final long MAX_RETRY_AFTER_MILLIS = 30_000;

  private RetryPolicy() {
  }

  /**
   * Whether a post that ended with {@code error} (or {@code null}) and {@code status} may pass if
   * sent again. A malformed answer came from a server that took the request: sending it again
   * could store it twice, and the same server would likely answer the same way.
   */
  static boolean mayPass(Throwable error, int status) {
    if (error != null) {
      return !(error instanceof InterruptedException) && !(error instanceof HttpAnswer.Malformed);
    }
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /**
   * The {@code Retry-After} wait to honour for an answer, or {@link RetryAfter#NONE}: OTLP/HTTP
   * names 429 and 503 for it; on a 502 or 504 it came from a proxy, not from the endpoint.
   */
  static long retryAfterMillis(int status, long retryAfterMillis) {
    return status == 429 || status == 503 ? retryAfterMillis : RetryAfter.NONE;
  }

  /** The wait before attempt {@code attempt + 1}: the back-off, or the endpoint's longer ask. */
  static long delayMillis(int attempt, long retryAfterMillis) {
    return Math.max(backoffMillis(attempt), retryAfterMillis);
  }

  /** A random delay up to the exponential back-off of {@code attempt} (1-based), as the SDK does. */
  static long backoffMillis(int attempt) {
    double cap = Math.min(INITIAL_BACKOFF_MILLIS * Math.pow(BACKOFF_MULTIPLIER, attempt - 1), MAX_BACKOFF_MILLIS);
    return (long) ThreadLocalRandom.current().nextDouble(cap);
  }
}
