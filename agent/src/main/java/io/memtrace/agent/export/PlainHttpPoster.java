package io.memtrace.agent.export;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 POST over one kept-alive plain socket, for {@code http://} OTLP endpoints, used by the
 * single sender thread only. The JDK's {@code HttpClient} spent about a millisecond of CPU per
 * request in the overhead run (its asynchronous pipeline of small tasks on several threads), more
 * than encoding the 512 spans in the request; this writes the request head and the body straight
 * from the encoder's buffer and reads the answer in place. {@code https://} endpoints keep using
 * the JDK client.
 */
final class PlainHttpPoster implements AutoCloseable {

  /** The longest answer body kept (for error messages); the rest is read and dropped. */
  private static final int MAX_KEPT_BODY = 4096;
  private static final int MAX_HEAD_LINE = 8192;

  private final String host;
  private final int port;
  private final byte[] head;
  private final int timeoutMillis;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  /** Whether a byte of the current answer has been read: before that, a failed exchange may be retried. */
  private boolean answerStarted;

  /** What the endpoint answered. */
  static final class Answer {
    final int status;
    final byte[] body;

    Answer(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }
  }

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

  /** Posts {@code body[0..length)}; reconnects once when a kept-alive connection turns out closed. */
  Answer post(byte[] body, int length) throws IOException {
    boolean reused = socket != null;
    try {
      return exchange(body, length);
    } catch (IOException e) {
      close();
      if (!reused || answerStarted) {
        throw e;
      }
      // a server may close an idle kept-alive connection at any time; that shows as a failed write
      // or an end of stream before the first byte of the answer, and the request was not taken
      return exchange(body, length);
    }
  }

  private Answer exchange(byte[] body, int length) throws IOException {
    answerStarted = false;
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
    out.write(head);
    out.write(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
    out.write('\r');
    out.write('\n');
    out.write(body, 0, length);
    out.flush();
    return readAnswer();
  }

  private Answer readAnswer() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: " + status);
    }
    int code;
    try {
      code = Integer.parseInt(status.substring(9, Math.min(12, status.length())).trim());
    } catch (RuntimeException e) {
      throw new IOException("bad HTTP status line: " + status);
    }
    long contentLength = -1;
    boolean chunked = false;
    boolean close = status.startsWith("HTTP/1.0");
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        contentLength = Long.parseLong(value);
      } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      } else if (name.equals("connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    if (code < 200 || code == 204 || code == 304) {
      // no body, whatever the headers say (RFC 9112, section 6.3)
      if (code < 200) {
        return readAnswer(); // an interim answer: the real one follows
      }
    } else if (chunked) {
      for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
          size = Long.parseLong(line().split(";")[0].trim(), 16)) {
        read(size, kept);
        line();
      }
      while (!line().isEmpty()) {
        continue; // trailers are not used
      }
    } else if (contentLength >= 0) {
      read(contentLength, kept);
    } else {
      close = true; // the body runs to the end of the connection
      byte[] chunk = new byte[4096];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        if (kept.size() < MAX_KEPT_BODY) {
          kept.write(chunk, 0, Math.min(n, MAX_KEPT_BODY - kept.size()));
        }
      }
    }
    if (close) {
      close();
    }
    return new Answer(code, kept.toByteArray());
  }

  private void read(long length, ByteArrayOutputStream kept) throws IOException {
    byte[] chunk = new byte[(int) Math.min(4096, Math.max(1, length))];
    while (length > 0) {
      int n = in.read(chunk, 0, (int) Math.min(chunk.length, length));
      if (n < 0) {
        throw new IOException("connection closed in the middle of an answer");
      }
      if (kept.size() < MAX_KEPT_BODY) {
        kept.write(chunk, 0, Math.min(n, MAX_KEPT_BODY - kept.size()));
      }
      length -= n;
    }
  }

  private String line() throws IOException {
    StringBuilder text = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed before the answer ended");
      }
      answerStarted = true;
      if (c == '\n') {
        int end = text.length();
        if (end > 0 && text.charAt(end - 1) == '\r') {
          text.setLength(end - 1);
        }
        return text.toString();
      }
      if (text.length() >= MAX_HEAD_LINE) {
        throw new IOException("HTTP header line longer than " + MAX_HEAD_LINE + " bytes");
      }
      text.append((char) c);
    }
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
