package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.OtlpSink;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDK client's poster (used for {@code https://}) against a plain loopback server: what it carries. */
class JdkHttpPosterTest {

  private OtlpSink server;
  private final AtomicReference<String> retryAfter = new AtomicReference<>();

  private URI serve(int status) throws Exception {
    server = new OtlpSink().replying(request -> retryAfter.get() == null ? OtlpSink.Reply.status(status)
        : OtlpSink.Reply.status(status).header("Retry-After", retryAfter.get()));
    return URI.create(server.endpoint() + "/v1/traces");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpAnswer post(URI uri) throws Exception {
    Duration timeout = Duration.ofSeconds(5);
    try (JdkHttpPoster poster = new JdkHttpPoster(JdkHttpPoster.client(timeout), uri, Map.of(), false, timeout)) {
      return poster.post(new byte[3], 3);
    }
  }

  @Test
  void shouldCarryADeltaSecondsRetryAfter() throws Exception {
    retryAfter.set("2");
    HttpAnswer answer = post(serve(429));
    assertThat(answer.status).isEqualTo(429);
    assertThat(answer.retryAfterMillis).isEqualTo(2000);
  }

  @Test
  void shouldCarryAnHttpDateRetryAfterAsTheTimeLeftUntilIt() throws Exception {
    DateTimeFormatter imfFixdate = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    retryAfter.set(imfFixdate.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5)));
    HttpAnswer answer = post(serve(503));
    // at most 5 s ahead, less the part of a second cut off and the time the exchange took
    assertThat(answer.retryAfterMillis).isBetween(0L, 5000L);
  }

  @Test
  void shouldCarryNoRetryAfterWhenThereIsNoneOrItCannotBeRead() throws Exception {
    URI uri = serve(503);
    assertThat(post(uri).retryAfterMillis).isEqualTo(RetryAfter.NONE);
    retryAfter.set("in a while");
    assertThat(post(uri).retryAfterMillis).isEqualTo(RetryAfter.NONE);
  }
}
