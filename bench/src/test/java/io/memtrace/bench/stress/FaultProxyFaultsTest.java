package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.bench.stress.FaultProxy.Request;
import io.memtrace.testsupport.RawHttpClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Each fault as a client sees it over real loopback sockets, and as the proxy logs it. */
class FaultProxyFaultsTest extends FaultProxyFixture {

  /** True when the connection ended: the peer closed it (end of stream) or reset it. */
  private static boolean ended(RawHttpClient raw) {
    try {
      return raw.read() == null;
    } catch (IOException e) {
      return true;
    }
  }

  /** Posts and returns once the upstream has the request: in slow mode the proxy now holds the answer. */
  private void postAndAwaitForwarded(RawHttpClient raw, String body) throws Exception {
    int before = upstream.received.size();
    raw.post("/v1/traces", body);
    while (upstream.received.size() == before) {
      Thread.sleep(5);
    }
  }

  @Test
  void shouldRefuseConnectionsAndDropOpenOnesWhenDownThenListenOnTheSamePortWhenUp() throws Exception {
    String endpoint = proxy.endpoint();
    URI uri = URI.create(endpoint);
    try (RawHttpClient open = new RawHttpClient(endpoint)) {
      open.post("/v1/traces", "before");
      assertThat(open.read().status).isEqualTo(202);

      proxy.down();

      assertThat(ended(open)).isTrue();
      assertThatThrownBy(() -> new Socket(uri.getHost(), uri.getPort()).close())
          .isInstanceOf(ConnectException.class);
    }
    proxy.down(); // twice is harmless

    proxy.up();

    assertThat(proxy.endpoint()).isEqualTo(endpoint);
    assertThat(post("after").statusCode()).isEqualTo(202);
    assertThat(upstream.received).hasSize(2);
  }

  @Test
  void shouldLogMinusOneForARequestInFlightWhenDown() throws Exception {
    proxy.slow(60_000);
    try (RawHttpClient raw = new RawHttpClient(proxy.endpoint())) {
      postAndAwaitForwarded(raw, "in-flight");

      proxy.down();

      assertThat(ended(raw)).isTrue();
    }
    proxy.up();
    assertThat(post("next").statusCode()).isEqualTo(202); // up() passes again, no delay left
    assertThat(logged(proxy, 2)).extracting(Request::status).containsExactly(-1, 202);
  }

  @Test
  void shouldLogMinusOneWhenTheClientGaveUpDuringTheHold() throws Exception {
    proxy.slow(500);
    try (RawHttpClient raw = new RawHttpClient(proxy.endpoint())) {
      postAndAwaitForwarded(raw, "timed-out");
    } // closed while the proxy holds the answer, as a client whose timeout is shorter than the delay

    assertThat(logged(proxy, 1)).extracting(Request::status).containsExactly(-1);
    assertThat(post("patient").statusCode()).isEqualTo(202); // a client that waits still gets it
  }

  @Test
  void shouldHoldEachAnswerAtLeastTheDelayWhenSlow() throws Exception {
    proxy.slow(300);
    long start = System.nanoTime();

    HttpResponse<String> response = post("slow");

    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo(EchoUpstream.answerTo("/v1/traces", 4));
    Request logged = logged(proxy, 1).get(0);
    assertThat(logged.answeredAtMillis() - logged.receivedAtMillis()).isGreaterThanOrEqualTo(300);
  }

  @Test
  void shouldAnswerTheErrorAndRetryAfterWithoutForwarding() throws Exception {
    proxy.error(503, 2);
    HttpResponse<String> unavailable = post("a");
    proxy.error(429, 7);
    HttpResponse<String> tooMany = post("b");
    proxy.error(500, 0);
    HttpResponse<String> failed = post("c");

    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(tooMany.statusCode()).isEqualTo(429);
    assertThat(tooMany.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.headers().firstValue("Retry-After")).isEmpty();
    assertThat(upstream.received).isEmpty();
    assertThat(logged(proxy, 3)).extracting(Request::status).containsExactly(503, 429, 500);

    proxy.pass();
    assertThat(post("d").statusCode()).isEqualTo(202);
  }

  @Test
  void shouldAcceptEveryRequestWithoutForwardingWhenASink() throws Exception {
    proxy.sink();
    HttpResponse<String> first = post("a");
    HttpResponse<String> second = post("b");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEmpty();
    assertThat(upstream.received).isEmpty();
    assertThat(logged(proxy, 2)).extracting(Request::status).containsExactly(200, 200);

    proxy.pass();
    assertThat(post("c").statusCode()).isEqualTo(202);
    assertThat(upstream.received).hasSize(1);
  }

  @Test
  void shouldMeasureRetryGapsFromTheSameBodyPostedAgain() throws Exception {
    long from = System.currentTimeMillis();
    proxy.error(503, 1);
    post("export-1");
    Thread.sleep(200);
    proxy.error(429, 1);
    post("export-1");
    Thread.sleep(300);
    proxy.pass();
    post("export-1");
    post("export-2"); // never failed: not a retry of anything
    proxy.error(503, 0);
    post("export-3"); // failed, never retried: absent
    logged(proxy, 5);
    long to = System.currentTimeMillis() + 1;

    assertThat(proxy.retryGapsMillis(from, to)).hasSize(2)
        .satisfies(gaps -> assertThat(gaps.get(0)).isGreaterThanOrEqualTo(200))
        .satisfies(gaps -> assertThat(gaps.get(1)).isGreaterThanOrEqualTo(300));
    assertThat(proxy.retriesOf(503, from, to)).isEqualTo(1);
    assertThat(proxy.retriesOf(429, from, to)).isEqualTo(1);
    assertThat(proxy.retriesOf(202, from, to)).isZero();
    assertThat(proxy.retryGapsMillis(to, to + 1000)).isEmpty();
  }

  @Test
  void shouldServeManyConcurrentClientsInPassMode() throws Exception {
    CompletableFuture<?>[] all = new CompletableFuture<?>[40];
    for (int i = 0; i < all.length; i++) {
      all[i] = client.sendAsync(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/v1/logs"))
          .POST(HttpRequest.BodyPublishers.ofString("log-" + i)).build(), HttpResponse.BodyHandlers.ofString());
    }
    CompletableFuture.allOf(all).join();

    assertThat(logged(proxy, 40)).hasSize(40).allSatisfy(r -> assertThat(r.status()).isEqualTo(202));
    assertThat(upstream.received).hasSize(40);
  }
}
