package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plain HTTP/1.1 poster against a scripted server on a real loopback socket. */
class PlainHttpPosterTest {

  private ServerSocket server;
  private Thread serving;
  /** Request heads and bodies as the server read them. */
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Integer> connections = new CopyOnWriteArrayList<>();

  /** A poster without headers or compression, to {@link #serve}'s server answering {@code answer}. */
  private PlainHttpPoster poster(Function<Integer, String> answer) throws IOException {
    return new PlainHttpPoster(serve(answer), Map.of(), false, 2000);
  }

  /** An answer's status and its body as text. */
  private static void assertAnswer(HttpAnswer answer, int status, String body) {
    assertThat(answer.status).isEqualTo(status);
    assertThat(new String(answer.body, StandardCharsets.US_ASCII)).isEqualTo(body);
  }

  /**
   * Serves each connection: reads requests and writes {@code answer.apply(n)} for the n-th request
   * overall; an answer ending in "CLOSE" closes the connection after it is written.
   */
  private URI serve(Function<Integer, String> answer) throws IOException {
    server = new ServerSocket(0);
    serving = new Thread(() -> {
      int n = 0;
      int connection = 0;
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connection++;
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          while (true) {
            String head = readHead(in);
            if (head == null) {
              break;
            }
            int length = 0;
            for (String line : head.split("\r\n")) {
              if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
              }
            }
            byte[] body = in.readNBytes(length);
            requests.add(head + "\n" + new String(body, StandardCharsets.ISO_8859_1));
            connections.add(connection);
            String text = answer.apply(++n);
            boolean close = text.endsWith("CLOSE");
            out.write(text.replace("CLOSE", "").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (close) {
              break;
            }
          }
        } catch (IOException e) {
          // the test closed the server
        }
      }
    });
    serving.setDaemon(true);
    serving.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/traces");
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        return head.substring(0, head.length() - 4);
      }
    }
    return null;
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void shouldPostTheBodyWithItsHeadersAndKeepTheConnection() throws Exception {
    URI uri = serve(n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    try (PlainHttpPoster poster = new PlainHttpPoster(uri, Map.of("Authorization", "Bearer t"), true, 2000)) {
      byte[] body = "spans!".getBytes(StandardCharsets.US_ASCII);
      assertThat(poster.post(body, 5).status).isEqualTo(200);
      assertThat(poster.post(body, 6).status).isEqualTo(200);
    }
    assertThat(requests.get(0)).startsWith("POST /v1/traces HTTP/1.1\r\n")
        .contains("Content-Type: application/x-protobuf", "Content-Encoding: gzip", "Authorization: Bearer t",
            "Content-Length: 5", "Host: 127.0.0.1:" + server.getLocalPort())
        .endsWith("\nspans");
    assertThat(requests.get(1)).endsWith("\nspans!");
    assertThat(connections).containsExactly(1, 1);
  }

  @Test
  void shouldReadChunkedAndCloseDelimitedAnswers() throws Exception {
    try (PlainHttpPoster poster = poster(n -> n == 1
        ? "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nbad p\r\n7;x=1\r\nayload.\r\n0\r\n\r\n"
        : "HTTP/1.1 503 Unavailable\r\nConnection: close\r\n\r\ncome back laterCLOSE")) {
      assertAnswer(poster.post(new byte[1], 1), 400, "bad payload.");
      assertAnswer(poster.post(new byte[1], 1), 503, "come back later");
      assertThat(poster.post(new byte[1], 1).status).isEqualTo(503); // a new connection after the close
    }
    assertThat(connections).containsExactly(1, 1, 2);
  }

  @Test
  void shouldTakeNoBodyFromA204OrAnInterimAnswer() throws Exception {
    try (PlainHttpPoster poster = poster(n -> n == 1
        ? "HTTP/1.1 204 No Content\r\n\r\n"
        : "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
      assertThat(poster.post(new byte[1], 1).status).isEqualTo(204); // would hang on a read without the rule
      assertAnswer(poster.post(new byte[1], 1), 200, "ok");
    }
    assertThat(connections).containsExactly(1, 1);
  }

  @Test
  void shouldCarryTheFirstRetryAfterAndIgnoreOneItCannotRead() throws Exception {
    try (PlainHttpPoster poster = poster(n -> n == 1
        ? "HTTP/1.1 429 Slow Down\r\nRetry-After: 2\r\nRetry-After: 9\r\nContent-Length: 0\r\n\r\n"
        : n == 2 ? "HTTP/1.1 503 Busy\r\nretry-after: later\r\nContent-Length: 0\r\n\r\n"
        : "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n")) {
      assertThat(poster.post(new byte[1], 1).retryAfterMillis).isEqualTo(2000);
      assertThat(poster.post(new byte[1], 1).retryAfterMillis).isEqualTo(RetryAfter.NONE);
      assertThat(poster.post(new byte[1], 1).retryAfterMillis).isEqualTo(RetryAfter.NONE);
    }
    assertThat(connections).as("an answer with a Retry-After keeps its connection").containsExactly(1, 1, 1);
  }

  @Test
  void shouldReconnectOnceWhenTheServerClosedAnIdleConnection() throws Exception {
    // the first answer promises keep-alive but the server closes the connection right after it
    try (PlainHttpPoster poster = poster(n -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokCLOSE")) {
      assertThat(poster.post(new byte[3], 3).status).isEqualTo(200);
      Thread.sleep(100);
      assertThat(poster.post(new byte[3], 3).status).isEqualTo(200);
    }
    assertThat(connections).containsExactly(1, 2);
  }

  @Test
  void shouldReportAServerThatIsNotHttp() throws Exception {
    try (PlainHttpPoster poster = poster(n -> "SSH-2.0-OpenSSH\r\nCLOSE")) {
      assertThatThrownBy(() -> poster.post(new byte[1], 1)).isInstanceOf(IOException.class)
          .hasMessageContaining("not an HTTP answer");
    }
  }

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  /** Posts twice: the first answer is {@code bad}, the second a plain 200 that must be read on a new connection. */
  private void assertBadAnswerClosesTheConnection(String bad, String expectedMessage) throws Exception {
    try (PlainHttpPoster poster = poster(n -> n == 1 ? bad : OK)) {
      assertThatThrownBy(() -> poster.post(new byte[1], 1)).isInstanceOf(IOException.class)
          .hasMessageContaining(expectedMessage);
      assertAnswer(poster.post(new byte[1], 1), 200, "ok");
    }
    assertThat(requests).as("the bad answer's request is not sent again").hasSize(2);
    assertThat(connections).as("the half-read connection is not reused").containsExactly(1, 2);
  }

  @Test
  void shouldCloseTheConnectionWhenContentLengthIsNotANumber() throws Exception {
    assertBadAnswerClosesTheConnection("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\nok and more", "bad Content-Length");
  }

  @Test
  void shouldCloseTheConnectionWhenContentLengthIsNegative() throws Exception {
    assertBadAnswerClosesTheConnection("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nok", "bad Content-Length");
  }

  @Test
  void shouldCloseTheConnectionWhenTwoContentLengthsDisagree() throws Exception {
    assertBadAnswerClosesTheConnection("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\nok",
        "two different Content-Length");
  }

  @Test
  void shouldCloseTheConnectionWhenAChunkSizeIsNotHex() throws Exception {
    assertBadAnswerClosesTheConnection(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", "bad chunk size");
  }

  @Test
  void shouldCloseTheConnectionWhenAChunkIsLongerThanItsSize() throws Exception {
    assertBadAnswerClosesTheConnection(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n", "longer than its size");
  }

  @Test
  void shouldCloseTheConnectionWhenTheStatusCodeIsNotANumber() throws Exception {
    assertBadAnswerClosesTheConnection("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n", "bad HTTP status line");
  }

  @Test
  void shouldKeepAGoodAnswerButNotItsConnectionWhenMoreBytesFollowIt() throws Exception {
    try (PlainHttpPoster poster = poster(n -> n == 1 ? OK + "HTTP/1.1 200 OK\r\n" : OK)) {
      assertThat(poster.post(new byte[1], 1).status).isEqualTo(200);
      assertThat(poster.post(new byte[1], 1).status).isEqualTo(200);
    }
    assertThat(connections).as("a connection whose stream is out of step is not reused").containsExactly(1, 2);
  }

  @Test
  void shouldFailThatExportOnceAndSendTheNextOnANewConnectionWhenAnAnswerIsMalformed() throws Exception {
    URI uri = serve(n -> n == 1 ? "HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\nok" : OK);
    OtlpHttpSender sender = new OtlpHttpSender(uri.toString(), Map.of(), false, Duration.ofSeconds(2), "test-sender", 1);
    try {
      CompletableResultCode first = sender.send(new byte[4], 4, () -> { }).join(10, TimeUnit.SECONDS);
      assertThat(first.isSuccess()).isFalse();
      assertThat(first.getFailureThrowable()).hasMessageContaining("cannot read").hasMessageContaining("bad Content-Length");
      assertThat(requests).as("not retried: the endpoint may have taken it").hasSize(1);

      CompletableResultCode second = sender.send(new byte[4], 4, () -> { }).join(10, TimeUnit.SECONDS);
      assertThat(second.isSuccess()).isTrue();
    } finally {
      sender.shutdown();
    }
    assertThat(connections).containsExactly(1, 2);
  }
}
