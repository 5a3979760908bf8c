package io.memtrace.bench.overhead;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The OTLP/HTTP endpoint every agent variant exports to: it reads each request whole, answers 200
 * with an empty (valid) protobuf response, and keeps nothing. For {@code /v1/traces} in protobuf it
 * counts the spans ({@link SpanCount}), in all and by instrumentation scope, so the harness can
 * check that a variant really traced every command, with the instrumentation it claims, instead of
 * silently doing nothing.
 *
 * <p>It is a bare HTTP/1.1 server (keep-alive, {@code Content-Length} or chunked bodies, gzip), one
 * thread per connection reading into a reused buffer ({@link HttpRequestInput}), because it shares
 * the machine with what it measures: the JDK's {@code HttpServer} took about 7 % of a core to take
 * in memtrace's 70k spans a second, CPU that the Redis server and the application then did not
 * have. That is the test rig's cost, not the agent's, so the rig keeps it as small as it can, for
 * every variant.
 */
public final class DiscardSink implements AutoCloseable {

  private static final byte[] OK = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\n"
      + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BAD = ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
      + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  final AtomicLong traceRequests = new AtomicLong();
  final AtomicLong spans = new AtomicLong();
  private final Map<String, AtomicLong> spansByScope = new ConcurrentHashMap<>();
  final AtomicLong metricRequests = new AtomicLong();
  final AtomicLong otherRequests = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  private final ServerSocket server;
  private final Thread acceptor;

  public DiscardSink() throws IOException {
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "discard-sink-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Spans received in {@code /v1/traces} protobuf requests so far. */
  public long spans() {
    return spans.get();
  }

  /** Spans received so far by the name of their instrumentation scope ("" for none), in name order. */
  public Map<String, Long> spansByScope() {
    Map<String, Long> copy = new TreeMap<>();
    spansByScope.forEach((scope, n) -> copy.put(scope, n.get()));
    return copy;
  }

  /** Where the counts stand now; what a fork sends after this, {@link #countSince} counts. */
  Mark mark() {
    return new Mark(spans.get(), spansByScope());
  }

  /**
   * Lets the exports of a fork that just ended (agents flush at shutdown) land, then puts the spans received since
   * {@code mark} into {@code values}: {@code sink_spans}, and those of each scope under {@link Results#SCOPE_SPANS}.
   */
  void countSince(Mark mark, Map<String, Double> values) throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 20; i++) {
      long now = traceRequests.get() + metricRequests.get();
      if (now == last) {
        break;
      }
      last = now;
      Thread.sleep(100);
    }
    values.put("sink_spans", (double) (spans.get() - mark.spans));
    spansByScope().forEach((scope, n) -> {
      long before = mark.scopes.getOrDefault(scope, 0L);
      if (n > before) {
        values.put(Results.SCOPE_SPANS + scope, (double) (n - before));
      }
    });
  }

  /** The spans received up to a moment, in all and by scope. */
  static final class Mark {
    final long spans;
    final Map<String, Long> scopes;

    Mark(long spans, Map<String, Long> scopes) {
      this.spans = spans;
      this.scopes = scopes;
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread t = new Thread(() -> serve(socket), "discard-sink");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Answers the requests of one connection until the client closes it or sends something wrong. */
  private void serve(Socket socket) {
    try (socket; HttpRequestInput in = new HttpRequestInput(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      while (true) {
        String requestLine = in.line();
        if (requestLine == null) {
          return; // the client closed the connection between requests
        }
        if (requestLine.isEmpty()) {
          continue;
        }
        String path = requestLine.split(" ")[1];
        long length = -1;
        boolean chunked = false;
        boolean gzip = false;
        boolean close = false;
        String type = null;
        for (String header = in.line(); header != null && !header.isEmpty(); header = in.line()) {
          int colon = header.indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = header.substring(colon + 1).trim();
          switch (name) {
            case "content-length":
              length = Long.parseLong(value);
              break;
            case "transfer-encoding":
              chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
              break;
            case "content-encoding":
              gzip = value.equalsIgnoreCase("gzip");
              break;
            case "content-type":
              type = value;
              break;
            case "connection":
              close = value.equalsIgnoreCase("close");
              break;
            case "expect":
              if (value.equalsIgnoreCase("100-continue")) {
                out.write(CONTINUE);
                out.flush();
              }
              break;
            default:
              break;
          }
        }
        int size = chunked ? in.chunkedBody() : in.body(Math.max(0, length));
        bytes.addAndGet(size);
        try {
          count(path, type, gzip, in.body, size);
        } catch (RuntimeException | IOException e) {
          out.write(BAD);
          out.flush();
          return;
        }
        out.write(OK);
        out.flush();
        if (close) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away mid-request, or sent something that is not HTTP: drop the connection
    }
  }

  private void count(String path, String type, boolean gzip, byte[] body, int size) throws IOException {
    if (path.endsWith("/v1/traces")) {
      traceRequests.incrementAndGet();
      if (type == null || type.contains("protobuf")) {
        byte[] message = body;
        int length = size;
        if (gzip) {
          message = new GZIPInputStream(new ByteArrayInputStream(body, 0, size)).readAllBytes();
          length = message.length;
        }
        spans.addAndGet(SpanCount.of(message, length,
            (scope, n) -> spansByScope.computeIfAbsent(scope, k -> new AtomicLong()).addAndGet(n)));
      }
    } else if (path.endsWith("/v1/metrics")) {
      metricRequests.incrementAndGet();
    } else {
      otherRequests.incrementAndGet();
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
