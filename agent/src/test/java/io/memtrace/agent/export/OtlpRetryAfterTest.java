package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memtrace.agent.health.HealthCounters;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OTLP/HTTP sender against a real endpoint on a loopback socket that asks it to come back
 * later. Timings are asserted as lower bounds only: a loaded machine may always be later.
 */
class OtlpRetryAfterTest {

  private final HoldingOtlpServer server;
  private OtlpHttpSender sender;

  OtlpRetryAfterTest() throws Exception {
    server = new HoldingOtlpServer();
  }

  @AfterEach
  void stop() throws Exception {
    if (sender != null) {
      sender.shutdown();
    }
    server.close();
  }

  /** Answers the first request with {@code firstAnswer}, every later one with 200. */
  private OtlpHttpSender sender(String firstAnswer) {
    server.answers = n -> n == 1 ? firstAnswer : "HTTP/1.1 200 OK\r\n";
    sender = new OtlpHttpSender(server.tracesUrl(), Map.of(), false, Duration.ofSeconds(5), "retry-after-test", 2);
    return sender;
  }

  /** An empty OTLP request, which the server parses as one. */
  private CompletableResultCode send(OtlpHttpSender sender) {
    return sender.send(new byte[0], 0, () -> { });
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void shouldWaitAtLeastTheRetryAfterBeforePostingAgain(int status) throws Exception {
    CompletableResultCode result = send(sender("HTTP/1.1 " + status + " Busy\r\nRetry-After: 2\r\n"));

    assertThat(result.join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(server.requests.get()).isEqualTo(2);
    // the plain back-off of a first retry is below 1 s: only Retry-After makes this gap
    assertThat(server.gapMillis(1)).as("ms between the two posts").isGreaterThanOrEqualTo(2000);
  }

  @Test
  void shouldPostA500ExactlyOnceWhateverItsRetryAfter() throws Exception {
    CompletableResultCode result = send(sender("HTTP/1.1 500 Oops\r\nRetry-After: 1\r\n"));

    assertThat(result.join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).hasMessageContaining("HTTP 500");
    assertThat(sender.waitingRetries()).isZero();
    assertThat(server.requests.get()).isEqualTo(1);
  }

  @Test
  void shouldIgnoreARetryAfterOnA502AndBackOffAsUsual() throws Exception {
    // a proxy's Retry-After: even one past the cap neither fails the export nor delays it
    CompletableResultCode result = send(sender("HTTP/1.1 502 Bad Gateway\r\nRetry-After: 3600\r\n"));

    assertThat(result.join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(server.requests.get()).isEqualTo(2);
  }

  @Test
  void shouldBackOffAsUsualWhenTheRetryAfterCannotBeRead() throws Exception {
    CompletableResultCode result = send(sender("HTTP/1.1 503 Busy\r\nRetry-After: soon\r\n"));

    assertThat(result.join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(server.requests.get()).isEqualTo(2);
  }

  @Test
  void shouldFailTheExportAtOnceAndCountItWhenRetryAfterIsPastTheCap() throws Exception {
    server.answers = n -> "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 31\r\n";
    HealthCounters counters = new HealthCounters();
    OtlpHttpTraceExporter exporter = new OtlpHttpTraceExporter(server.tracesUrl(), Map.of(), false,
        Duration.ofSeconds(5), 2);
    ExportDispatcher dispatcher = new ExportDispatcher(List.of(new SpanExporters.Named("otlp", exporter)),
        counters, 2);

    dispatcher.export(OtlpHttpTraceExporterTest.SpanRecordFixture.spans(3), 3);

    // before the 30 s cap (the 31 s asked for is past it): the export is given up, not parked
    await().atMost(29, TimeUnit.SECONDS).until(() -> counters.exportFailures.get() == 1);
    assertThat(counters.spansInFailedExports.get()).isEqualTo(3);
    assertThat(counters.exported.get()).isZero();
    assertThat(server.requests.get()).isEqualTo(1);
    dispatcher.shutdown(1_000);
  }

  @Test
  void shouldGiveUpAtOnceWithAMessageNamingTheRetryAfter() throws Exception {
    CompletableResultCode result = send(sender("HTTP/1.1 503 Busy\r\nRetry-After: 120\r\n"));

    assertThat(result.join(10, TimeUnit.SECONDS).isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).hasMessageContaining("HTTP 503")
        .hasMessageContaining("Retry-After 120 s").hasMessageContaining("30 s");
    assertThat(sender.waitingRetries()).isZero();
    assertThat(server.requests.get()).isEqualTo(1);
  }

  @Test
  void shouldWaitARetryAfterOfExactlyTheCapAndFailItAtOnceOnShutdown() throws Exception {
    CompletableResultCode result = send(sender("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n"));
    await().atMost(120, TimeUnit.SECONDS).until(() -> sender.waitingRetries() == 1);
    assertThat(result.isDone()).as("30 s is waited for, not given up").isFalse();

    sender.shutdown();

    assertThat(result.isDone()).as("failed by shutdown itself, not by the timer").isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).hasMessageContaining("shut down");
    assertThat(server.requests.get()).isEqualTo(1);
  }
}
