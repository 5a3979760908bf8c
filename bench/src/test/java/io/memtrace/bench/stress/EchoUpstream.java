package io.memtrace.bench.stress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The collector stand-in of the proxy's tests: a real loopback HTTP server (the JDK's, not the
 * proxy's own parser) that answers {@code status} with the body {@code got N bytes on PATH}, chunked
 * (length 0 to sendResponseHeaders), and remembers what it received and from which client port.
 */
final class EchoUpstream implements AutoCloseable {

  /** One request as the upstream received it. */
  record Received(String path, byte[] body, int clientPort, String contentLength, String host) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile int status = 202;
  private final HttpServer server;

  EchoUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  static String answerTo(String path, int length) {
    return "got " + length + " bytes on " + path;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().toString();
    received.add(new Received(path, body, exchange.getRemoteAddress().getPort(),
        exchange.getRequestHeaders().getFirst("Content-Length"),
        exchange.getRequestHeaders().getFirst("Host")));
    exchange.getResponseHeaders().add("X-Upstream", "echo");
    exchange.sendResponseHeaders(status, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answerTo(path, body.length).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
