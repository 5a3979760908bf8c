package io.memtrace.agent.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Posts to {@code https://} endpoints with the JDK's HTTP client, whose connection pool gives each
 * lane a connection of its own. Plain {@code http://} endpoints use {@link PlainHttpPoster}, so a
 * plain setup never loads the TLS stack.
 *
 * <p>The blocking {@code send}, not {@code sendAsync}: given no executor of its own, the client
 * hands every response to {@code CompletableFuture}'s default pool, which on a two-core machine
 * starts a thread per task; the overhead run measured a thread per batch costing more CPU than the
 * whole consumer.
 */
final class JdkHttpPoster implements HttpPoster {

  private final HttpClient client;
  private final URI endpoint;
  private final Map<String, String> headers;
  private final boolean gzip;
  private final Duration timeout;

  JdkHttpPoster(HttpClient client, URI endpoint, Map<String, String> headers, boolean gzip, Duration timeout) {
    this.client = client;
    this.endpoint = endpoint;
    this.headers = headers;
    this.gzip = gzip;
    this.timeout = timeout;
  }

  /** One client for all the lanes of a sender: it pools their connections. */
  static HttpClient client(Duration timeout) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  @Override
  public HttpAnswer post(byte[] body, int length) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    headers.forEach(request::header);
    HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return HttpAnswer.of(response.statusCode(), response.body(),
        response.headers().firstValue("Retry-After").orElse(null));
  }

  @Override
  public void close() {
    // the client's pool owns the connections
  }
}
