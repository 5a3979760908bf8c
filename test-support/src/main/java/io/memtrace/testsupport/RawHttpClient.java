package io.memtrace.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over one loopback socket, for what {@code HttpClient} will not do: send slowly,
 * badly or in pieces (a chunked body after {@code Expect}, a request cut off mid-body, a half-close), and read
 * each answer as it comes, interim ones included.
 */
public final class RawHttpClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  /** A connection to {@code port} on 127.0.0.1. */
  public RawHttpClient(int port) throws IOException {
    this("127.0.0.1", port);
  }

  /** A connection to the host and port of {@code endpoint} ({@code http://host:port}). */
  public RawHttpClient(String endpoint) throws IOException {
    this(URI.create(endpoint).getHost(), URI.create(endpoint).getPort());
  }

  private RawHttpClient(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setSoTimeout(20_000);
    in = socket.getInputStream();
  }

  /** Sends {@code text} as it is (ISO-8859-1). */
  public RawHttpClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttpClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** A whole POST with a Content-Length body. */
  public RawHttpClient post(String path, String body) throws IOException {
    return send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
  }

  /** Shuts down the sending side (a half-close): the server sees the end of the stream, and may still answer. */
  public RawHttpClient shutdownOutput() throws IOException {
    socket.shutdownOutput();
    return this;
  }

  /**
   * The next answer, its body framed by Content-Length or chunked; {@code null} when the connection ended before
   * one began.
   */
  public Answer read() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!endsWithBlankLine(head)) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new IOException("closed after " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    String body;
    if (headers.containsKey("content-length")) {
      body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunkedBody();
    } else {
      body = "";
    }
    return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body, text + body);
  }

  /** Whether the server closes the connection within {@code millis} (reading past whatever answer came first). */
  public boolean closedWithin(long millis) throws IOException {
    socket.setSoTimeout((int) millis);
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private String chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(line().split(";")[0].trim(), 16);
      if (size == 0) {
        line();
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(in.readNBytes(size));
      line();
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("closed in a chunk");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
    byte[] bytes = head.toByteArray();
    int n = bytes.length;
    return n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n';
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** One answer: its status, its headers by lower-case name, its body, and the whole as text. */
  public static final class Answer {
    public final int status;
    public final Map<String, String> headers;
    public final String body;
    /** The status line and headers as received, then the body (chunks joined). */
    public final String text;

    Answer(int status, Map<String, String> headers, String body, String text) {
      this.status = status;
      this.headers = Collections.unmodifiableMap(headers);
      this.body = body;
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
