package io.memtrace.agent.export;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A bare HTTP/1.1 OTLP endpoint on a loopback socket, one thread per connection, that holds each
 * answer: for {@link #holdMillis} when set, and until {@link #release} gives it a permit when
 * {@link #gated}. It counts the requests it has read and not yet answered, and the most there ever
 * were at once, which is what "exports truly in flight" means from the endpoint's side. Its
 * answers are 200 unless {@link #answers} scripts them, and it notes when each request had been
 * read whole, so a test can measure the wait between attempts.
 */
final class HoldingOtlpServer implements AutoCloseable {

  private static final byte[] OK = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\n"
      + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger mostOpen = new AtomicInteger();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicLong spans = new AtomicLong();
  /** Request body bytes received, all requests. */
  final AtomicLong bytes = new AtomicLong();
  final AtomicInteger largestRequestSpans = new AtomicInteger();
  final Semaphore release = new Semaphore(0);
  /** When each request had been read whole ({@link System#nanoTime}), in order. */
  final List<Long> receivedNanos = new CopyOnWriteArrayList<>();
  /**
   * The status line and headers (each ending in CRLF, no blank line) to answer the n-th request
   * with (1-based, over all connections), with an empty body; {@code null} answers 200.
   */
  volatile IntFunction<String> answers;
  volatile long holdMillis;
  volatile boolean gated;
  private final ServerSocket server;

  HoldingOtlpServer() throws IOException {
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "holding-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String tracesUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1/traces";
  }

  /** Milliseconds from the end of request {@code n} to the end of request {@code n + 1} (1-based). */
  long gapMillis(int n) {
    return (receivedNanos.get(n) - receivedNanos.get(n - 1)) / 1_000_000;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        Thread t = new Thread(() -> serve(socket), "holding-server");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      String head;
      while ((head = readHead(in)) != null) {
        byte[] body = in.readNBytes(contentLength(head));
        int now = open.incrementAndGet();
        mostOpen.accumulateAndGet(now, Math::max);
        int n = requests.incrementAndGet();
        receivedNanos.add(System.nanoTime());
        bytes.addAndGet(body.length);
        count(ExportTraceServiceRequest.parseFrom(body));
        if (holdMillis > 0) {
          Thread.sleep(holdMillis);
        }
        if (gated) {
          release.acquire();
        }
        open.decrementAndGet();
        IntFunction<String> script = answers;
        out.write(script == null ? OK
            : (script.apply(n) + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, or the test is over
    }
  }

  private void count(ExportTraceServiceRequest request) {
    int n = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    spans.addAndGet(n);
    largestRequestSpans.accumulateAndGet(n, Math::max);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  /** The request head up to the blank line, or {@code null} at the end of the stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    release.release(1_000_000);
    server.close();
  }
}
