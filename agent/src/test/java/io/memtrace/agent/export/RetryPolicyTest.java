package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which failures are retried, after how long, and which answers' {@code Retry-After} counts. */
class RetryPolicyTest {

  @Test
  void backoffStaysWithinTheSdkPolicy() {
    for (int attempt = 1; attempt <= 6; attempt++) {
      long cap = (long) Math.min(1000 * Math.pow(1.5, attempt - 1), 5000);
      for (int i = 0; i < 100; i++) {
        assertThat(RetryPolicy.backoffMillis(attempt)).isBetween(0L, cap);
      }
    }
  }

  @Test
  void shouldRetryWhatMayPassAndNotWhatTheEndpointRefusedOrMayHaveTaken() {
    for (int status : new int[] {429, 502, 503, 504}) {
      assertThat(RetryPolicy.mayPass(null, status)).as("HTTP %d", status).isTrue();
    }
    for (int status : new int[] {400, 401, 404, 413, 500, 501}) {
      assertThat(RetryPolicy.mayPass(null, status)).as("HTTP %d", status).isFalse();
    }
    assertThat(RetryPolicy.mayPass(new ConnectException("refused"), 0)).isTrue();
    assertThat(RetryPolicy.mayPass(new HttpAnswer.Malformed("bad chunk size"), 0)).isFalse();
    assertThat(RetryPolicy.mayPass(new InterruptedException(), 0)).isFalse();
    assertThat(RetryPolicy.mayPass(new IOException("timed out"), 0)).isTrue();
  }

  @Test
  void shouldHonourRetryAfterOnlyOn429And503() {
    assertThat(RetryPolicy.retryAfterMillis(429, 2000)).isEqualTo(2000);
    assertThat(RetryPolicy.retryAfterMillis(503, 2000)).isEqualTo(2000);
    for (int status : new int[] {0, 200, 500, 502, 504}) {
      assertThat(RetryPolicy.retryAfterMillis(status, 2000)).as("HTTP %d", status).isEqualTo(RetryAfter.NONE);
    }
  }

  @Test
  void shouldWaitTheLongerOfBackOffAndRetryAfter() {
    for (int i = 0; i < 100; i++) {
      assertThat(RetryPolicy.delayMillis(1, 2000)).isEqualTo(2000); // a first back-off is under 1 s
      assertThat(RetryPolicy.delayMillis(5, 0)).isBetween(0L, RetryPolicy.MAX_BACKOFF_MILLIS);
      assertThat(RetryPolicy.delayMillis(1, RetryAfter.NONE)).isBetween(0L, RetryPolicy.INITIAL_BACKOFF_MILLIS);
    }
  }
}
