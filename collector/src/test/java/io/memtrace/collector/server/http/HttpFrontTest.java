package io.memtrace.collector.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import io.memtrace.testsupport.RawHttpClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The front on a real socket: framing, deadlines per phase, limits, lanes, and clients that leave. */
class HttpFrontTest {

  private HttpFront front;
  private final List<Lane> lanes = new ArrayList<>();

  @AfterEach
  void stop() {
    if (front != null) {
      front.close();
    }
    lanes.forEach(Lane::close);
  }

  private int start(FrontLimits limits, long maxBody, HttpHandler handler) throws IOException {
    front = new HttpFront(new InetSocketAddress("127.0.0.1", 0), limits);
    front.route("/", handler, lane(4), maxBody);
    front.start();
    return front.address().getPort();
  }

  private Lane lane(int threads) {
    Lane lane = new Lane("test-lane", threads, 8);
    lanes.add(lane);
    return lane;
  }

  static FrontLimits limits(long headerMillis, long bodyMillis, int connections, long budget) {
    return new FrontLimits(Duration.ofMillis(headerMillis), Duration.ofMillis(bodyMillis), Duration.ofSeconds(5),
        connections, budget);
  }

  /** Answers with the method, path and body it received. */
  static final HttpHandler ECHO = exchange -> {
    byte[] body = exchange.getRequestBody().readAllBytes();
    byte[] answer = (exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body.length
        + " " + new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  };

  @Test
  void shouldServeKeptAliveAndPipelinedRequestsInOrder() throws Exception {
    int port = start(limits(2_000, 2_000, 8, 1 << 20), 1024, ECHO);
    try (RawHttpClient client = new RawHttpClient(port)) {
      client.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
          + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(client.read().text).startsWith("HTTP/1.1 200 OK\r\n").endsWith("POST /a 5 hello");
      assertThat(client.read().text).endsWith("GET /b 0 ");
      client.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n");
      assertThat(client.read().text).endsWith("POST /c 5 abcde");
    }
  }

  @Test
  void shouldCloseAConnectionWhoseHeadersTrickleInPastTheHeaderTimeout() throws Exception {
    int port = start(limits(1_000, 5_000, 8, 1 << 20), 1024, ECHO);
    try (RawHttpClient client = new RawHttpClient(port)) {
      long start = System.nanoTime();
      String request = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
      boolean closed = false;
      // a byte every 100 ms at the most, for up to a minute: a front that let the trickle go on would never close it
      for (int i = 0; i < 600 && !closed; i++) {
        try {
          client.send(i < request.length() ? request.substring(i, i + 1) : "a");
        } catch (IOException reset) {
          closed = true;
        }
        closed = closed || client.closedWithin(100);
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(closed).as("closed while it still sent a byte every 100 ms").isTrue();
      // not before the 1 s timeout; how long after it depends on the machine's load, so it is not bounded here
      assertThat(millis).isGreaterThanOrEqualTo(900L);
    }
    assertThat(front.timeouts()).isEqualTo(1);
  }

  @Test
  void shouldAnswer408WhenTheBodyIsNotCompleteByTheBodyTimeout() throws Exception {
    int port = start(limits(1_000, 1_000, 8, 1 << 20), 1024, ECHO);
    try (RawHttpClient client = new RawHttpClient(port)) {
      client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab");
      Thread.sleep(600);
      client.send("cd");
      assertThat(client.read().text).startsWith("HTTP/1.1 408 ").contains("body timeout");
      assertThat(client.closedWithin(1_000)).isTrue();
    }
  }

  @Test
  void shouldKeepServingOthersWhileSlowClientsHoldConnections() throws Exception {
    // timeouts of an hour: the fast request can only be served beside the slow clients, never after a timeout
    // freed their connections
    int port = start(limits(3_600_000, 3_600_000, 64, 1 << 20), 1024, ECHO);
    List<RawHttpClient> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        slow.add(new RawHttpClient(port).send(i % 2 == 0 ? "PO" : "POST / HTTP/1.1\r\nContent-Length: 50\r\n\r\nx"));
      }
      try (RawHttpClient client = new RawHttpClient(port)) {
        client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(client.read().text).endsWith("GET /fast 0 ");
      }
    } finally {
      for (RawHttpClient c : slow) {
        c.close();
      }
    }
  }

  @Test
  void shouldRefuseConnectionsOverTheLimitWith503() throws Exception {
    int port = start(limits(5_000, 5_000, 2, 1 << 20), 1024, ECHO);
    try (RawHttpClient a = new RawHttpClient(port); RawHttpClient b = new RawHttpClient(port)) {
      a.send("GET /a HTTP/1.1\r\n\r\n");
      assertThat(a.read().text).endsWith("GET /a 0 ");
      b.send("GET /b HTTP/1.1\r\n\r\n");
      assertThat(b.read().text).endsWith("GET /b 0 ");
      try (RawHttpClient third = new RawHttpClient(port)) {
        assertThat(third.read().text).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: 1").contains("limit");
      }
    }
    assertThat(front.refusedConnections()).isEqualTo(1);
  }

  @Test
  void shouldAnswer503WhenTheBodiesInFlightWouldPassTheBudget() throws Exception {
    int port = start(limits(5_000, 5_000, 8, 1000), 10_000, ECHO);
    try (RawHttpClient big = new RawHttpClient(port); RawHttpClient next = new RawHttpClient(port)) {
      big.send("POST / HTTP/1.1\r\nContent-Length: 900\r\n\r\n");
      await(() -> front.bodyBytesAvailable() == 100, () -> "available " + front.bodyBytesAvailable());
      next.send("POST / HTTP/1.1\r\nContent-Length: 200\r\n\r\n");
      assertThat(next.read().text).startsWith("HTTP/1.1 503 ").contains("too many request bodies");
      big.send(new byte[900]);
      assertThat(big.read().text).endsWith("POST / 900 " + new String(new byte[40], StandardCharsets.UTF_8));
    }
    await(() -> front.bodyBytesAvailable() == 1000, () -> "available " + front.bodyBytesAvailable());
  }

  @Test
  void shouldHandTheHandlerOneByteOverItsLimitOfAChunkedBodyAndCloseAfterwards() throws Exception {
    int port = start(limits(5_000, 5_000, 8, 1 << 20), 10, ECHO);
    try (RawHttpClient client = new RawHttpClient(port)) {
      client.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "x".repeat(1000) + "\r\n0\r\n\r\n");
      assertThat(client.read().text).contains("Connection: close").endsWith("POST / 11 xxxxxxxxxxx");
      assertThat(client.closedWithin(2_000)).isTrue();
    }
  }

  @Test
  void shouldAnswer413AtOnceWhenTheDeclaredBodyIsOverTheLimit() throws Exception {
    AtomicReference<String> handled = new AtomicReference<>();
    // a body timeout of an hour: the 413 can only come at once, never after the body timed out
    int port = start(limits(5_000, 3_600_000, 8, 1 << 20), 10, exchange -> {
      handled.set("called");
      ECHO.handle(exchange);
    });
    try (RawHttpClient client = new RawHttpClient(port)) {
      client.send("POST / HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n"); // no byte of the body follows
      assertThat(client.read().text).startsWith("HTTP/1.1 413 ").contains("Connection: close")
          .endsWith("request body of 100000000 bytes exceeds the limit of 10 bytes\n");
      assertThat(client.closedWithin(2_000)).isTrue();
    }
    assertThat(handled.get()).as("the handler never sees the request").isNull();
    assertThat(front.bodyBytesAvailable()).as("no memory held for the body").isEqualTo(1 << 20);
  }

  @Test
  void shouldLetAClientStillSendingARefusedBodyReadThe413() throws Exception {
    int port = start(limits(5_000, 30_000, 8, 1 << 20), 1024, ECHO);
    try (RawHttpClient client = new RawHttpClient(port)) {
      // the head and a first part of the body in one write, then more while the answer is on its way: a server
      // that closed with these bytes unread would reset the connection, and the client could lose the answer
      client.send("POST / HTTP/1.1\r\nContent-Length: 4000000\r\n\r\n" + "x".repeat(200_000));
      Thread sender = new Thread(() -> {
        try {
          for (int i = 0; i < 19; i++) {
            client.send("x".repeat(200_000));
          }
        } catch (IOException closed) {
          // the server stops reading after its linger: expected
        }
      });
      sender.start();
      assertThat(client.read().text).startsWith("HTTP/1.1 413 ").endsWith("exceeds the limit of 1024 bytes\n");
      sender.join(10_000);
    }
  }

  @Test
  void shouldAnswerAClientThatShutDownItsSideAfterItsRequests() throws Exception {
    int port = start(limits(5_000, 5_000, 8, 1 << 20), 1024, ECHO);
    try (RawHttpClient client = new RawHttpClient(port)) {
      client.send("POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + "GET /b HTTP/1.1\r\n\r\n").shutdownOutput();
      assertThat(client.read().text).startsWith("HTTP/1.1 200 OK\r\n").endsWith("POST /a 5 hello");
      assertThat(client.read().text).endsWith("GET /b 0 ");
      assertThat(client.closedWithin(2_000)).as("closed once both are answered").isTrue();
    }
    try (RawHttpClient cut = new RawHttpClient(port)) {
      cut.send("POST /c HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel").shutdownOutput();
      assertThat(cut.closedWithin(2_000)).as("a request cut off is not answered").isTrue();
    }
    await(() -> front.bodyBytesAvailable() == 1 << 20, () -> "available " + front.bodyBytesAvailable());
  }

  @Test
  void shouldRefuseAmbiguousOrBrokenFraming() throws Exception {
    int port = start(limits(5_000, 5_000, 8, 1 << 20), 1024, ECHO);
    String[][] cases = {
        {"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", "400"},
        {"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc", "400"},
        {"POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\nabc", "400"},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "501"},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "400"},
        {"GET / HTTP/1.1\r\n folded: header\r\n\r\n", "400"},
        {"GET / HTTP/2.0\r\n\r\n", "505"},
        {"GET /\r\n\r\n", "400"},
        {"GET / HTTP/1.1\r\nX: " + "a".repeat(70_000) + "\r\n\r\n", "431"},
    };
    for (String[] c : cases) {
      try (RawHttpClient client = new RawHttpClient(port)) {
        client.send(c[0]);
        assertThat(client.read().text).as(c[0].substring(0, Math.min(60, c[0].length()))).startsWith("HTTP/1.1 " + c[1]);
      }
    }
  }

  @Test
  void shouldSend100ContinueBeforeReadingAnExpectedBody() throws Exception {
    int port = start(limits(5_000, 5_000, 8, 1 << 20), 1024, ECHO);
    try (RawHttpClient client = new RawHttpClient(port)) {
      client.send("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
      assertThat(client.read().text).startsWith("HTTP/1.1 100 Continue");
      client.send("ok");
      assertThat(client.read().text).endsWith("POST / 2 ok");
    }
  }

  @Test
  void shouldAnswerOnOneLaneWhileTheOtherIsBusy() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    front = new HttpFront(new InetSocketAddress("127.0.0.1", 0), limits(5_000, 5_000, 16, 1 << 20));
    front.route("/slow", exchange -> {
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ECHO.handle(exchange);
    }, lane(2), 1024);
    front.route("/fast", ECHO, lane(2), 1024);
    front.start();
    int port = front.address().getPort();
    List<RawHttpClient> busy = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        busy.add(new RawHttpClient(port).send("GET /slow HTTP/1.1\r\n\r\n"));
      }
      try (RawHttpClient fast = new RawHttpClient(port)) {
        fast.send("GET /fast HTTP/1.1\r\n\r\n");
        assertThat(fast.read().text).endsWith("GET /fast 0 ");
      }
      release.countDown();
      assertThat(busy.get(0).read().text).endsWith("GET /slow 0 ");
    } finally {
      release.countDown();
      for (RawHttpClient c : busy) {
        c.close();
      }
    }
  }

  @Test
  void shouldFailAHandlersWriteOnceItsClientHasGone() throws Exception {
    AtomicReference<IOException> failure = new AtomicReference<>();
    CountDownLatch failed = new CountDownLatch(1);
    int port = start(limits(5_000, 5_000, 8, 1 << 20), 1024, exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      try {
        for (int i = 0; i < 200; i++) {
          out.write(' ');
          out.flush();
          Thread.sleep(50);
        }
      } catch (IOException e) {
        failure.set(e);
        failed.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try (RawHttpClient client = new RawHttpClient(port)) {
      client.send("GET / HTTP/1.1\r\n\r\n");
      Thread.sleep(200);
    }
    // the end of the client's stream may be a half-close, after which it still reads its answer, so the
    // connection stays until a write finds the client gone (a reset or a broken pipe)
    assertThat(failed.await(5, TimeUnit.SECONDS)).as("the handler's write failed").isTrue();
    assertThat(failure.get()).isNotNull();
  }

  @Test
  void shouldFailTheHandlerOfAClientThatReadsNoneOfItsAnswerAndServeOthers() throws Exception {
    AtomicReference<IOException> failure = new AtomicReference<>();
    CountDownLatch failed = new CountDownLatch(1);
    int port = start(limits(5_000, 1_000, 8, 1 << 20), 1024, exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/big")) {
        ECHO.handle(exchange);
        return;
      }
      byte[] piece = new byte[64 * 1024];
      exchange.sendResponseHeaders(200, 512L * piece.length);
      OutputStream out = exchange.getResponseBody();
      try {
        for (int i = 0; i < 512; i++) {
          out.write(piece);
        }
      } catch (IOException e) {
        failure.set(e);
        failed.countDown();
      }
    });
    try (RawHttpClient stalled = new RawHttpClient(port)) {
      stalled.send("GET /big HTTP/1.1\r\n\r\n"); // and never reads
      assertThat(failed.await(10, TimeUnit.SECONDS)).as("the handler's write failed after the body timeout").isTrue();
      try (RawHttpClient other = new RawHttpClient(port)) {
        other.send("GET /fine HTTP/1.1\r\n\r\n");
        assertThat(other.read().text).endsWith("GET /fine 0 ");
      }
    }
  }

  @Test
  void shouldAnswer500WhenTheHandlerThrowsAndKeepServing() throws Exception {
    int port = start(limits(5_000, 5_000, 8, 1 << 20), 1024, exchange -> {
      if (exchange.getRequestURI().getPath().equals("/boom")) {
        throw new IllegalStateException("boom");
      }
      ECHO.handle(exchange);
    });
    try (RawHttpClient client = new RawHttpClient(port)) {
      client.send("GET /boom HTTP/1.1\r\n\r\n");
      assertThat(client.read().text).startsWith("HTTP/1.1 500 ");
      client.send("GET /fine HTTP/1.1\r\n\r\n");
      assertThat(client.read().text).endsWith("GET /fine 0 ");
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
