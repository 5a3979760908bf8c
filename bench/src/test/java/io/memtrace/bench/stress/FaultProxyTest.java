package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.bench.stress.FaultProxy.Request;
import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.RawHttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The proxy in pass mode, over real loopback sockets, between real clients and a real upstream. */
class FaultProxyTest extends FaultProxyFixture {

  static long crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  @Test
  void shouldRelayUpstreamStatusHeadersAndBodyAndLogTheRequest() throws Exception {
    upstream.status = 202;
    long before = System.currentTimeMillis();

    HttpResponse<String> response = post("/v1/traces", "spans-1");

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo(EchoUpstream.answerTo("/v1/traces", 7));
    assertThat(response.headers().firstValue("X-Upstream")).hasValue("echo");
    assertThat(upstream.received).singleElement().satisfies(r -> {
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("spans-1");
      assertThat(r.host()).isEqualTo(upstream.uri().getAuthority()); // re-addressed to the upstream
    });
    assertThat(logged(proxy, 1)).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/v1/traces");
      assertThat(r.status()).isEqualTo(202);
      assertThat(r.bodyLength()).isEqualTo(7);
      assertThat(r.bodyCrc()).isEqualTo(crc("spans-1"));
      assertThat(r.receivedAtMillis()).isGreaterThanOrEqualTo(before);
      assertThat(r.answeredAtMillis()).isGreaterThanOrEqualTo(r.receivedAtMillis());
    });
  }

  @Test
  void shouldRelayUpstreamErrorStatusUnchanged() throws Exception {
    upstream.status = 500;

    assertThat(post("/v1/metrics", "m").statusCode()).isEqualTo(500);
    assertThat(logged(proxy, 1)).extracting(Request::status).containsExactly(500);
  }

  @Test
  void shouldForwardChunkedBodyWithExpectContinueAsContentLength() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.endpoint())) {
      raw.send("POST /v1/traces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
          + "Expect: 100-continue\r\n\r\n");
      assertThat(raw.read().status).isEqualTo(100);
      raw.send("5\r\nhello\r\n7;ext=1\r\n, chunk\r\n0\r\nX-Trailer: t\r\n\r\n");

      RawHttpClient.Answer answer = raw.read();

      assertThat(answer.status).isEqualTo(202);
      assertThat(answer.body).isEqualTo(EchoUpstream.answerTo("/v1/traces", 12));
      assertThat(answer.headers).doesNotContainKey("transfer-encoding");
    }
    assertThat(upstream.received).singleElement().satisfies(r -> {
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello, chunk");
      assertThat(r.contentLength()).isEqualTo("12");
    });
    assertThat(logged(proxy, 1)).singleElement()
        .satisfies(r -> assertThat(r.bodyCrc()).isEqualTo(crc("hello, chunk")));
  }

  @Test
  void shouldKeepOneUpstreamConnectionForOneKeptAliveClientConnection() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.endpoint())) {
      for (int i = 0; i < 5; i++) {
        raw.post("/v1/traces", "batch-" + i);
        assertThat(raw.read().status).isEqualTo(202);
      }
    }
    assertThat(upstream.received).hasSize(5);
    assertThat(upstream.received.stream().map(EchoUpstream.Received::clientPort).distinct()).hasSize(1);
  }

  @Test
  void shouldAnswer503WithoutRetryAfterWhenUpstreamIsUnreachable() throws Exception {
    try (Ports.Refusing closed = Ports.refusing();
        FaultProxy orphan = FaultProxy.start(URI.create("http://127.0.0.1:" + closed.port()))) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(orphan.endpoint() + "/v1/traces"))
          .POST(HttpRequest.BodyPublishers.ofString("lost")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isEmpty();
      assertThat(logged(orphan, 1)).extracting(Request::status).containsExactly(503);
    }
  }

  @Test
  void shouldServeOthersAfterAClientDropsMidBody() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.endpoint())) {
      raw.send("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b");
    }
    try (RawHttpClient raw = new RawHttpClient(proxy.endpoint())) {
      raw.send("this is not HTTP\r\n\r\n");
      assertThat(raw.read()).isNull(); // the proxy drops what it cannot parse
    }

    assertThat(post("/v1/traces", "after").statusCode()).isEqualTo(202);
    assertThat(upstream.received).extracting(EchoUpstream.Received::path).containsExactly("/v1/traces");
  }

  @Test
  void shouldCountRequestsPerSecondByPathWithinTheWindow() throws Exception {
    long from = System.currentTimeMillis();
    for (int i = 0; i < 4; i++) {
      post("/v1/traces", "t" + i);
    }
    post("/v1/metrics", "m");
    logged(proxy, 5);
    long to = from + 10_000;

    assertThat(proxy.requestsPerSecond("/v1/traces", from, to)).isEqualTo(0.4);
    assertThat(proxy.requestsPerSecond(null, from, to)).isEqualTo(0.5);
    assertThat(proxy.requestsPerSecond("/v1/traces", from - 10_000, from)).isZero();
  }
}
