package io.memtrace.agent.export;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 POST over one kept-alive plain socket, for {@code http://} OTLP endpoints; each sender
 * lane ({@link SenderLanes}) has its own and is the only thread that uses it. The JDK's {@code HttpClient} spent about a millisecond of CPU per
 * request in the overhead run (its asynchronous pipeline of small tasks on several threads), more
 * than encoding the 512 spans in the request; this writes the request head and the body straight
 * from the encoder's buffer and reads the answer in place. {@code https://} endpoints keep using
 * the JDK client.
 */
final class PlainHttpPoster implements HttpPoster {

  private final String host;
  private final int port;
  private final byte[] head;
  private final int timeoutMillis;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  /** Reads the answer to the current request. */
  private HttpAnswer.Reader reader = new HttpAnswer.Reader(InputStream.nullInputStream());

  PlainHttpPoster(URI endpoint, Map<String, String> headers, boolean gzip, int timeoutMillis) {
    this.host = endpoint.getHost();
    this.port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
    this.timeoutMillis = timeoutMillis;
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    if (endpoint.getRawQuery() != null) {
      path += "?" + endpoint.getRawQuery();
    }
    StringBuilder text = new StringBuilder()
        .append("POST ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(endpoint.getPort() < 0 ? "" : ":" + port).append("\r\n")
        .append("Content-Type: application/x-protobuf\r\n")
        .append("User-Agent: memtrace\r\n");
    if (gzip) {
      text.append("Content-Encoding: gzip\r\n");
    }
    headers.forEach((k, v) -> text.append(k).append(": ").append(v).append("\r\n"));
    text.append("Content-Length: ");
    this.head = text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Posts {@code body[0..length)}; reconnects once when a kept-alive connection turns out closed.
   * Whatever fails, the connection is closed unless the answer was read whole and in step, so a
   * bad answer never leaves the next request reading the rest of it.
   *
   * @throws HttpAnswer.Malformed when the endpoint answered something that is not HTTP/1.1 it can
   *     follow (the request may have been taken: do not send it again)
   */
  @Override
  public HttpAnswer post(byte[] body, int length) throws IOException {
    try {
      return postOrRetry(body, length);
    } catch (IOException e) {
      close();
      throw e;
    } catch (RuntimeException e) {
      close();
      throw new HttpAnswer.Malformed("the exchange failed unexpectedly (" + e + ")");
    }
  }

  private HttpAnswer postOrRetry(byte[] body, int length) throws IOException {
    boolean reused = socket != null;
    try {
      return exchange(body, length);
    } catch (IOException e) {
      close();
      if (!reused || reader.started() || e instanceof HttpAnswer.Malformed) {
        throw e;
      }
      // a server may close an idle kept-alive connection at any time; that shows as a failed write
      // or an end of stream before the first byte of the answer, and the request was not taken
      return exchange(body, length);
    }
  }

  private HttpAnswer exchange(byte[] body, int length) throws IOException {
    if (socket == null) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        s.setTcpNoDelay(true);
      } catch (IOException e) {
        s.close();
        throw e;
      }
      socket = s;
      out = s.getOutputStream();
      in = new BufferedInputStream(s.getInputStream(), 8192);
    }
    reader = new HttpAnswer.Reader(in); // not started: a failed write may still be retried
    out.write(head);
    out.write(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
    out.write('\r');
    out.write('\n');
    out.write(body, 0, length);
    out.flush();
    HttpAnswer answer = reader.read();
    // bytes beyond the answer mean the server and this reader disagree about where it ended
    if (!answer.keepAlive || in.available() > 0) {
      close();
    }
    return answer;
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    out = null;
    in = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // nothing to do: it is being thrown away
      }
    }
  }
}
