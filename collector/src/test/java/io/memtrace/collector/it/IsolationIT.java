package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.testsupport.BuildPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} as a real process under clients that hold on: slow headers, slow bodies, long
 * queries, too many connections, a heap that runs out. Ingest keeps answering, or the process
 * exits non-zero for a supervisor to restart it; it never hangs.
 */
class IsolationIT {

  static final String PROTOBUF = "application/x-protobuf";
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldKeepIngestingWhileSlowClientsTrickleHeadersAndBodies() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("isolation-slow-" + System.nanoTime()));
    // deadlines long enough that every ingest request below is answered while the slow clients still hold their
    // connections, however busy the machine: an ingest that waited behind them would be answered only after the server
    // had closed them
    try (CollectorProcess serve = CollectorProcess.serve(dir.resolve("data"), "--header-timeout", "10s",
        "--body-timeout", "15s")) {
      List<Socket> slow = new ArrayList<>();
      java.util.Set<Socket> closed = new java.util.HashSet<>();
      for (int i = 0; i < 16; i++) {
        slow.add(trickle(serve.port, "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        slow.add(trickle(serve.port, "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            + PROTOBUF + "\r\nContent-Length: 100000\r\n\r\n"));
      }
      try {
        for (int i = 0; i < 10; i++) {
          dribble(slow);
          assertIngestAnswered(serve, i);
          assertThat(closedAlready(slow, closed)).as("slow connections the server had closed when ingest request %d "
              + "was answered", i).isZero();
        }
        // then each is closed by its phase's deadline, though it keeps sending (polled; a hang guard of 10 minutes)
        long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (closedAlready(slow, closed) < slow.size()) {
          assertThat(System.nanoTime()).as("slow connections closed by their phase deadline").isLessThan(guard);
          dribble(slow);
          Thread.sleep(250);
        }
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
      JsonNode status = JSON.readTree(serve.get("/api/status").body());
      assertThat(status.path("connections_timed_out").asLong()).isGreaterThanOrEqualTo(slow.size());
    }
  }

  @Test
  void shouldKeepIngestingWhileLongQueriesOccupyTheApi() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("isolation-queries-" + System.nanoTime()));
    // queries that outlast the test: each ingest request must be answered while all of them still run
    try (CollectorProcess serve = CollectorProcess.serve(dir.resolve("data"), "--query-timeout", "10m")) {
      ExecutorService clients = Executors.newFixedThreadPool(12);
      try {
        List<Future<HttpResponse<String>>> queries = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          queries.add(clients.submit(() -> query(serve, "SELECT pg_sleep(600) AS slept")));
        }
        Thread.sleep(500);
        for (int i = 0; i < 10; i++) {
          assertIngestAnswered(serve, i);
          assertThat(queries.stream().filter(Future::isDone).count())
              .as("queries ended when ingest request %d was answered", i).isZero();
        }
      } finally {
        clients.shutdownNow();
      }
    }
  }

  @Test
  void shouldRefuseConnectionsBeyondTheLimitAndServeOnceTheyClose() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("isolation-limit-" + System.nanoTime()));
    try (CollectorProcess serve = CollectorProcess.serve(dir.resolve("data"), "--max-connections", "4")) {
      List<Socket> idle = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        idle.add(new Socket("127.0.0.1", serve.port));
      }
      Thread.sleep(300);
      try (Socket fifth = new Socket("127.0.0.1", serve.port)) {
        fifth.setSoTimeout(5_000);
        String answer = new String(fifth.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 503 ").contains("4 connections open");
      }
      for (Socket s : idle) {
        s.close();
      }
      Thread.sleep(300);
      assertIngestAnswered(serve, 0);
    }
  }

  @Test
  void shouldKeepIngestingOrExitNonZeroWhenQueriesExhaustTheHeap() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("isolation-oom-" + System.nanoTime()));
    try (CollectorProcess serve = CollectorProcess.serve(List.of("-Xmx64m"), dir.resolve("data"), "--memory", "256MiB")) {
      ExecutorService clients = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> big = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          big.add(clients.submit(() -> query(serve, "SELECT repeat('x', 2000) AS big FROM range(100000)")));
        }
        for (Future<?> f : big) {
          try {
            f.get(120, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException gone) {
            // the process may have exited under the query: what counts is how it did
          }
        }
      } finally {
        clients.shutdownNow();
      }
      Integer exit = serve.exitWithin(1);
      if (exit != null) {
        assertThat(exit).as("exit status; %s", serve.stderr()).isEqualTo(70);
        assertThat(serve.stderr()).contains("exiting with status 70 so that a supervisor restarts the collector");
      } else {
        for (int i = 0; i < 3; i++) {
          assertIngestAnswered(serve, i);
        }
      }
    }
  }

  static HttpResponse<String> query(CollectorProcess serve, String sql) throws Exception {
    return serve.post("/api/query", "application/sql", null, sql.getBytes(StandardCharsets.UTF_8));
  }

  static void assertIngestAnswered(CollectorProcess serve, int i) throws Exception {
    byte[] body = SpanFixtures.request("isolation", List.of(SpanFixtures.span(
        String.format("%032x", 0x150L + i), null, "ingest-" + i, i, 1).build())).toByteArray();
    HttpResponse<String> response = serve.post("/v1/traces", PROTOBUF, null, body);
    assertThat(response.statusCode()).as("ingest request %d: %s", i, response.body()).isEqualTo(200);
  }

  private static Socket trickle(int port, String start) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** One more byte on every slow connection that is still open. */
  private static void dribble(List<Socket> slow) {
    for (Socket s : slow) {
      try {
        OutputStream out = s.getOutputStream();
        out.write('a');
        out.flush();
      } catch (IOException closed) {
        // the server ended it; closedAlready says so
      }
    }
  }

  /**
   * How many of {@code slow} the server has closed (or answered 408), looked at without waiting; {@code closed} holds
   * those found so far, whose answer has been read.
   */
  private static long closedAlready(List<Socket> slow, java.util.Set<Socket> closed) {
    for (Socket s : slow) {
      if (!closed.contains(s) && closedNow(s)) {
        closed.add(s);
      }
    }
    return closed.size();
  }

  private static boolean closedNow(Socket socket) {
    try {
      socket.setSoTimeout(1);
      int first = socket.getInputStream().read();
      if (first < 0) {
        return true;
      }
      socket.setSoTimeout(2_000); // an answer has begun: read the rest of its status line
      byte[] rest = socket.getInputStream().readNBytes(11);
      return ((char) first + new String(rest, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 408");
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
