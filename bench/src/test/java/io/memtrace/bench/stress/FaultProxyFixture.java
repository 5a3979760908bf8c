package io.memtrace.bench.stress;

import io.memtrace.bench.stress.FaultProxy.Request;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A proxy in front of a fresh {@link EchoUpstream} for each test, and a real HTTP/1.1 client. */
abstract class FaultProxyFixture {

  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  EchoUpstream upstream;
  FaultProxy proxy;

  @BeforeEach
  void startProxy() throws Exception {
    upstream = new EchoUpstream();
    proxy = FaultProxy.start(upstream.uri());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
    upstream.close();
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + path))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body) throws Exception {
    return post("/v1/traces", body);
  }

  /**
   * The proxy's log once it holds {@code count} requests (or after 10 s): the proxy logs a request
   * just after flushing its answer, so the client can read the answer a moment before that.
   */
  static List<Request> logged(FaultProxy proxy, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<Request> requests = proxy.requests();
    while (requests.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(2);
      requests = proxy.requests();
    }
    return requests;
  }
}
