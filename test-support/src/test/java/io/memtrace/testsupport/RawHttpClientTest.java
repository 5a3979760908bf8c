package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RawHttpClientTest {

  @Test
  void shouldReadInterimLengthFramedAndChunkedAnswersInTurnThenTheEnd() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> serve(server,
          "HTTP/1.1 100 Continue\r\n\r\n"
              + "HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\nX-Upstream: echo\r\n\r\nhello"
              + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, chunk\r\n0\r\n\r\n"));
      try (RawHttpClient client = new RawHttpClient("http://127.0.0.1:" + server.getLocalPort())) {
        client.post("/v1/traces", "abc").shutdownOutput();

        assertThat(client.read().status).isEqualTo(100);
        RawHttpClient.Answer accepted = client.read();
        assertThat(accepted.status).isEqualTo(202);
        assertThat(accepted.headers).containsEntry("x-upstream", "echo").containsEntry("content-length", "5");
        assertThat(accepted.body).isEqualTo("hello");
        RawHttpClient.Answer chunked = client.read();
        assertThat(chunked.body).isEqualTo("hello, chunk");
        assertThat(chunked.text).startsWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            .endsWith("\r\n\r\nhello, chunk");
        assertThat(client.read()).as("the server closed").isNull();
        assertThat(received.get()).isEqualTo("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
      }
    }
  }

  @Test
  void shouldTellAConnectionTheServerKeepsOpenFromOneItCloses() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         RawHttpClient client = new RawHttpClient(server.getLocalPort());
         Socket accepted = server.accept()) {
      assertThat(client.closedWithin(200)).isFalse();
      accepted.close();
      assertThat(client.closedWithin(2_000)).isTrue();
    }
  }

  /** Reads the request to its end (the client half-closes), answers {@code answer}, closes; what it read. */
  private static String serve(ServerSocket server, String answer) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      in.transferTo(request);
      socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return request.toString(StandardCharsets.ISO_8859_1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
