package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitsTest {

  @Test
  void shouldWaitPastAServerThatIsStillStarting() throws Exception {
    try (OtlpSink server = new OtlpSink().replying(r -> r.number < 3 ? OtlpSink.Reply.status(503) : OtlpSink.Reply.ok())) {
      Waits.forHttp("the server", server.endpoint() + "/ready", Duration.ofSeconds(10), null);

      assertThat(server.requests()).extracting(r -> r.status).containsExactly(503, 503, 200);
    }
  }

  @Test
  void shouldFailWhenNothingAnswersInTime() throws Exception {
    try (Ports.Refusing nobody = Ports.refusing()) {
      String url = "http://127.0.0.1:" + nobody.port() + "/";

      assertThatThrownBy(() -> Waits.forHttp("nobody", url, Duration.ofMillis(500), null))
          .isInstanceOf(AssertionError.class).hasMessageStartingWith("nobody did not answer " + url);
    }
  }

  @Test
  void shouldFailAtOnceWhenTheProcessEnds() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();

    assertThatThrownBy(() -> Waits.forHttp("the app", "http://127.0.0.1:1/", Duration.ofSeconds(30), done))
        .isInstanceOf(AssertionError.class).hasMessage("the app ended (exit 0) before it answered http://127.0.0.1:1/");
  }

  @Test
  void shouldFailAProcessThatMakesNoProgressTowardsAnswering() throws Exception {
    Process sleeping = new ProcessBuilder("sleep", "60").start();
    try (Ports.Refusing nobody = Ports.refusing()) {
      String url = "http://127.0.0.1:" + nobody.port() + "/";

      assertThatThrownBy(() -> Waits.forHttp("the app", url, Duration.ofMinutes(2), sleeping, Duration.ofSeconds(2)))
          .isInstanceOf(AssertionError.class).hasMessageStartingWith("the app did not answer " + url
              + ": it made no progress for 2.");
    } finally {
      sleeping.destroyForcibly().waitFor();
    }
  }
}
